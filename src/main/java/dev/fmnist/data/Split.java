package dev.fmnist.data;

/**
 * A training set and the validation set carved from it.
 *
 * @param train the images left for training
 * @param validation the images held out (empty when no validation split was asked for)
 */
public record Split(ImageSet train, ImageSet validation) {}
