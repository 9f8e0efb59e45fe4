package dev.fmnist.data;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What augmentation costs the training loop: times filling every training batch of an epoch
 * (shuffled, scaled to [0, 1]) without and with augmentation, on the Java side where it runs.
 * Compare the difference per batch with a training step ({@code tools/bench/profile.sh}). A
 * developer tool behind {@code tools/bench/augmentation.sh}; not part of the CLI.
 *
 * <pre>
 * java -cp 'target/fmnist.jar:target/lib/*' dev.fmnist.data.AugmentationCost [DATA_DIR] [BATCH]
 * </pre>
 */
public final class AugmentationCost {
  private AugmentationCost() {}

  /**
   * Prints milliseconds per epoch of batch fills for three kinds of augmentation.
   *
   * @param args optional: the Fashion-MNIST directory (else the usual lookup), then the batch size
   *     (default 128)
   */
  public static void main(String[] args) {
    ImageSet train = FashionMnist.load(DatasetLocator.locate(args.length > 0 ? Path.of(args[0]) : null)).train();
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    Augmentation[] kinds = {
      Augmentation.NONE,
      new Augmentation(2, true, 0),
      new Augmentation(2, true, 0.5),
    };
    String[] names = {"none", "shift 2 + flip", "shift 2 + flip + erasing 0.5"};
    float[] pixels = new float[batch * train.spec().valuesPerImage()];
    int[] labels = new int[batch];
    System.out.printf(Locale.ROOT, "%,d training images, batch %d; milliseconds per epoch of batch fills (3 epochs after a warm-up)%n",
        train.size(), batch);
    for (int k = 0; k < kinds.length; k++) {
      BatchSequence seq = new BatchSequence(train, batch, true, 42, kinds[k]);
      double best = Double.MAX_VALUE;
      StringBuilder all = new StringBuilder();
      for (int epoch = 1; epoch <= 4; epoch++) {
        seq.startEpoch(epoch);
        long t0 = System.nanoTime();
        for (int b = 0; b < seq.batchesPerEpoch(); b++) {
          seq.fill(b, pixels, labels);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        if (epoch > 1) {
          best = Math.min(best, ms);
          all.append(String.format(Locale.ROOT, " %.0f", ms));
        }
      }
      System.out.printf(Locale.ROOT, "  %-30s %6.0f ms per epoch (%s), %.1f us per batch, %.2f us per image%n", names[k],
          best, all.toString().trim(), best * 1e3 / seq.batchesPerEpoch(), best * 1e3 / train.size());
    }
  }
}
