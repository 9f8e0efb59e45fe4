package dev.fmnist.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PredictionsCsvTest {
  @Test
  void fixedSixDecimalsMatchesFormatOnProbabilities() {
    assertEquals("0.000000", PredictionsCsv.fixed6(0));
    assertEquals("1.000000", PredictionsCsv.fixed6(1));
    assertEquals("0.000001", PredictionsCsv.fixed6(5e-7));
    assertEquals("0.999999", PredictionsCsv.fixed6(0.9999991));
    assertEquals("-2.500000", PredictionsCsv.fixed6(-2.5));
    Random r = new Random(1);
    int differing = 0;
    for (int i = 0; i < 100_000; i++) {
      double p = r.nextFloat(); // probabilities come from float32
      String ours = PredictionsCsv.fixed6(p);
      String format = String.format(Locale.ROOT, "%.6f", p);
      if (!ours.equals(format)) {
        differing++;
        assertEquals(Double.parseDouble(format), Double.parseDouble(ours), 1.0000001e-6, "at " + p);
      }
    }
    assertEquals(0, differing, "values formatted differently from %.6f");
  }
}
