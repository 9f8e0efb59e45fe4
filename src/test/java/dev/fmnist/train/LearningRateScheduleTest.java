package dev.fmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fmnist.config.ScheduleSpec;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void constantStepAndCosineMatchHandComputedValues() {
    ScheduleSpec constant = new ScheduleSpec(ScheduleSpec.Type.CONSTANT, null, null, null, null, null, null, null, null);
    assertEquals(0.01, new LearningRateSchedule(0.01, constant, 100, 5).at(499));

    ScheduleSpec step = new ScheduleSpec(ScheduleSpec.Type.STEP, null, null, 2, 0.5, null, null, null, null);
    LearningRateSchedule s = new LearningRateSchedule(0.1, step, 10, 6);
    assertEquals(0.1, s.at(19), 1e-12);
    assertEquals(0.05, s.at(20), 1e-12);
    assertEquals(0.025, s.at(45), 1e-12);

    // warm-up over 1 epoch of 10 steps, then cosine over the remaining 30 steps down to 0.001
    ScheduleSpec cosine = new ScheduleSpec(ScheduleSpec.Type.COSINE, 1.0, 0.001, null, null, null, null, null, null);
    LearningRateSchedule c = new LearningRateSchedule(0.1, cosine, 10, 4);
    assertEquals(0.01, c.at(0), 1e-12);
    assertEquals(0.1, c.at(9), 1e-12);
    assertEquals(0.1, c.at(10), 1e-12);
    assertEquals(0.001 + 0.099 * 0.5, c.at(25), 1e-12); // halfway: cos(pi/2) = 0
    assertEquals(0.001, c.at(40), 1e-12);
  }

  @Test
  void plateauReplaysKerasReduceLrOnPlateau() {
    // factor 0.5, patience 2, min_delta 0.01, cooldown 1, min_lr 0.02
    ScheduleSpec p = new ScheduleSpec(ScheduleSpec.Type.PLATEAU, null, 0.02, null, null, 0.5, 2, 0.01, 1);
    dev.fmnist.train.callbacks.PlateauSchedule s = new dev.fmnist.train.callbacks.PlateauSchedule(0.1, p);
    double[] losses = {1.0, 0.9, 0.895, 0.9, 0.8, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91};
    // after each epoch, by hand (Keras: a cooldown epoch counts down first, then may count a wait):
    // best 1.0, 0.9; 0.895 not better by 0.01 (wait 1); 0.9 (wait 2: lr 0.05, cooldown 1); 0.8 best;
    // 0.85 wait 1; 0.86 wait 2: lr 0.025, cooldown 1; 0.87 cooldown ends, wait 1; 0.88 wait 2: lr 0.02
    // (the floor), cooldown 1; 0.89 wait 1; 0.9 wait 2, already at the floor; 0.91 wait 3
    double[] expected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02};
    for (int e = 0; e < losses.length; e++) {
      java.util.List<Double> seen = new java.util.ArrayList<>();
      for (int k = 0; k <= e; k++) {
        seen.add(losses[k]);
      }
      assertEquals(expected[e], s.rate(seen), 1e-12, "after epoch " + (e + 1));
    }
    assertEquals(0.1, s.rate(java.util.List.of()), 0, "no history: the base rate");
  }
}
