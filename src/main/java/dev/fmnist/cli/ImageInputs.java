package dev.fmnist.cli;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.ImageFiles;
import dev.fmnist.data.PreparedImage;
import dev.fmnist.savedmodel.Classifier;
import dev.fmnist.savedmodel.ModelManifest;
import java.nio.file.Path;
import java.util.List;

/** Image files turned into a model's input batch, as {@code predict} and {@code explain} do. */
final class ImageInputs {
  private ImageInputs() {}

  /** {@code file} converted to {@code model}'s input images ({@code input}) as its training images were. */
  static PreparedImage read(Path file, DatasetSpec input, Classifier model) {
    return ImageFiles.read(file, input, ModelManifest.conversion(model.manifest()));
  }

  /** The images, {@code input.valuesPerImage()} values each, one after another in one array. */
  static float[] batch(List<float[]> images, DatasetSpec input) {
    int values = input.valuesPerImage();
    float[] batch = new float[images.size() * values];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, batch, i * values, values);
    }
    return batch;
  }

  /** The file name without its extension: {@code shoe.jpg} gives {@code shoe}. */
  static String stem(Path file) {
    return file.getFileName().toString().replaceAll("\\.[^.]*$", "");
  }
}
