package dev.fmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fmnist.config.ScheduleSpec;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void constantStepAndCosineMatchHandComputedValues() {
    ScheduleSpec constant = new ScheduleSpec(ScheduleSpec.Type.CONSTANT, null, null, null, null);
    assertEquals(0.01, new LearningRateSchedule(0.01, constant, 100, 5).at(499));

    ScheduleSpec step = new ScheduleSpec(ScheduleSpec.Type.STEP, null, null, 2, 0.5);
    LearningRateSchedule s = new LearningRateSchedule(0.1, step, 10, 6);
    assertEquals(0.1, s.at(19), 1e-12);
    assertEquals(0.05, s.at(20), 1e-12);
    assertEquals(0.025, s.at(45), 1e-12);

    // warm-up over 1 epoch of 10 steps, then cosine over the remaining 30 steps down to 0.001
    ScheduleSpec cosine = new ScheduleSpec(ScheduleSpec.Type.COSINE, 1.0, 0.001, null, null);
    LearningRateSchedule c = new LearningRateSchedule(0.1, cosine, 10, 4);
    assertEquals(0.01, c.at(0), 1e-12);
    assertEquals(0.1, c.at(9), 1e-12);
    assertEquals(0.1, c.at(10), 1e-12);
    assertEquals(0.001 + 0.099 * 0.5, c.at(25), 1e-12); // halfway: cos(pi/2) = 0
    assertEquals(0.001, c.at(40), 1e-12);
  }
}
