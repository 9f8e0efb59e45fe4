package dev.fmnist.savedmodel;

import dev.fmnist.eval.OutputKind;
import dev.fmnist.eval.Predictions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.OutputStyle;
import dev.fmnist.testing.TinyModels.Spec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierModelTest {
  @TempDir Path tmp;

  @Test
  void predictsInBatchesWhateverTheInputLayout() {
    TinyDataset data = TinyDataset.of(57, 7);
    for (ImageLayout.Kind l : new ImageLayout.Kind[] {ImageLayout.Kind.NHWC, ImageLayout.Kind.NHW, ImageLayout.Kind.FLAT}) {
      Path dir = TinyModels.export(tmp.resolve(l.name()), Spec.fmnist().layout(l));
      try (ClassifierModel m = ClassifierModel.load(dir, null, null)) {
        ClassifierModel.RawOutputs out = m.predictAll(data, 10, null);
        assertEquals(57 * 10, out.values().length);
        for (int i = 0; i < data.size(); i++) {
          float[] expected = TinyModels.bandLogits(data.image(i));
          float[] actual = java.util.Arrays.copyOfRange(out.values(), i * 10, i * 10 + 10);
          assertArrayEquals(expected, actual, 1e-4f, l + " image " + i);
        }
        assertEquals(57, out.timing().images());
        assertEquals(10, out.timing().batchSize());
        assertTrue(out.timing().modelSeconds() > 0);
        Predictions p = Predictions.of(10, data.labels(), out.values(), null);
        assertEquals(OutputKind.LOGITS, p.kind());
        // 57 images, every 7th a mistake: 8 mistakes
        assertEquals(49.0 / 57, p.confusionMatrix().accuracy(), 1e-12);
      }
    }
  }

  @Test
  void readsProbabilitiesFromAKerasStyleOutput() {
    TinyDataset data = TinyDataset.of(20, 5);
    Path dir = TinyModels.export(tmp.resolve("k"), Spec.fmnist().outputs(OutputStyle.KERAS));
    try (ClassifierModel m = ClassifierModel.load(dir, null, null)) {
      Predictions p =
          Predictions.of(10, data.labels(), m.predictAll(data, 500, null).values(), null);
      assertEquals(OutputKind.PROBABILITIES, p.kind());
      assertEquals(16.0 / 20, p.confusionMatrix().accuracy(), 1e-12);
    }
  }
}
