package dev.fmnist.data;

/** A training set and the validation set carved from it. */
public record Split(ImageSet train, ImageSet validation) {}
