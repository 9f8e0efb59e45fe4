package dev.fmnist.train;

import dev.fmnist.config.ScheduleSpec;

/**
 * The learning rate at a given step, from the recipe's schedule: a pure function of the step, and
 * for {@code plateau} of the validation losses so far (replayed from the history, so a resumed run
 * continues with the same rate and needs no extra checkpoint state).
 */
public final class LearningRateSchedule {
  private final double base;
  private final ScheduleSpec spec;
  private final long stepsPerEpoch;
  private final long totalSteps;
  private double plateauRate;

  /**
   * @param base the optimizer's learning rate
   * @param spec the schedule
   * @param stepsPerEpoch training steps in one epoch
   * @param epochs planned epochs (cosine decays to its floor at the last one)
   */
  public LearningRateSchedule(double base, ScheduleSpec spec, long stepsPerEpoch, int epochs) {
    this.base = base;
    this.spec = spec;
    this.stepsPerEpoch = Math.max(1, stepsPerEpoch);
    this.totalSteps = this.stepsPerEpoch * epochs;
    this.plateauRate = base;
  }

  /**
   * Sets the plateau rate from the validation losses of the epochs done so far, replaying Keras's
   * {@code ReduceLROnPlateau} (mode min); other schedules ignore it.
   */
  public void observe(java.util.List<Double> validationLosses) {
    double lr = base;
    double best = Double.POSITIVE_INFINITY;
    int wait = 0;
    int cooldownLeft = 0;
    for (double v : validationLosses) {
      if (cooldownLeft > 0) {
        cooldownLeft--;
        wait = 0;
      }
      if (v < best - spec.minDelta()) {
        best = v;
        wait = 0;
      } else if (cooldownLeft <= 0) {
        wait++;
        if (wait >= spec.patience()) {
          if (lr > spec.minLearningRate()) {
            lr = Math.max(lr * spec.factor(), spec.minLearningRate());
            cooldownLeft = spec.cooldown();
            wait = 0;
          }
        }
      }
    }
    plateauRate = lr;
  }

  /** The rate for the 0-based global {@code step}. */
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
        double span = Math.max(1, totalSteps - warmup);
        double progress = Math.min(1.0, (step - warmup) / span);
        double floor = spec.minLearningRate();
        return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
      case PLATEAU:
        return plateauRate;
      case CONSTANT:
      default:
        return base;
    }
  }
}
