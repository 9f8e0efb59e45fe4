package dev.fmnist.train;

import dev.fmnist.config.ScheduleSpec;

/**
 * The learning rate at a given step, from the recipe's schedule: a pure function of the step. The
 * {@code plateau} schedule depends on the validation losses instead; its callback ({@link
 * dev.fmnist.train.callbacks.PlateauSchedule}) sets the rate, and this returns the base rate.
 *
 * @param base the optimizer's learning rate
 * @param spec the schedule
 * @param stepsPerEpoch training steps in one epoch (at least 1: a smaller count is taken as 1)
 * @param epochs planned epochs (cosine decays to its floor at the last one)
 */
public record LearningRateSchedule(double base, ScheduleSpec spec, long stepsPerEpoch, int epochs) {
  /**
   * Takes a count of steps per epoch below 1 as 1.
   *
   * @param base the optimizer's learning rate
   * @param spec the schedule
   * @param stepsPerEpoch training steps in one epoch
   * @param epochs planned epochs
   */
  public LearningRateSchedule {
    stepsPerEpoch = Math.max(1, stepsPerEpoch);
  }

  /**
   * The planned number of training steps.
   *
   * @return steps per epoch times epochs
   */
  public long totalSteps() {
    return stepsPerEpoch * epochs;
  }

  /**
   * The rate for the 0-based global {@code step}.
   *
   * @param step the step, from 0
   * @return the learning rate
   */
  public double at(long step) {
    switch (spec.type()) {
      case STEP:
        long epoch = step / stepsPerEpoch;
        return base * Math.pow(spec.gamma(), epoch / spec.stepEpochs());
      case COSINE:
        long warmup = Math.round(spec.warmupEpochs() * stepsPerEpoch);
        if (step < warmup) {
          return base * (step + 1) / warmup;
        }
        double span = Math.max(1, totalSteps() - warmup);
        double progress = Math.min(1.0, (step - warmup) / span);
        double floor = spec.minLearningRate();
        return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
      case PLATEAU: // the PlateauSchedule callback sets the rate through the context
      case CONSTANT:
      default:
        return base;
    }
  }
}
