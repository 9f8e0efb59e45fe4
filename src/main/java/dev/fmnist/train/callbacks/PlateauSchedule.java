package dev.fmnist.train.callbacks;

import dev.fmnist.config.ScheduleSpec;
import dev.fmnist.train.Callback;
import dev.fmnist.train.TrainingContext;
import java.util.List;

/**
 * The {@code plateau} schedule: Keras's {@code ReduceLROnPlateau} (mode min, on {@code val_loss}).
 * The rate is replayed from the validation losses of the history before every epoch, so a resumed
 * run continues with the same rate and needs no extra checkpoint state.
 */
public final class PlateauSchedule implements Callback {
  private final double base;
  private final ScheduleSpec spec;

  /**
   * @param base the optimizer's learning rate
   * @param spec the schedule's factor, patience, cooldown, min_delta and floor
   */
  public PlateauSchedule(double base, ScheduleSpec spec) {
    this.base = base;
    this.spec = spec;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    context.setLearningRate(rate(context.history().validationLosses()));
  }

  @Override
  public void onEpochBegin(int epoch, TrainingContext context) {
    context.setLearningRate(rate(context.history().validationLosses()));
  }

  /**
   * The rate after the given validation losses, replaying ReduceLROnPlateau from the base rate.
   *
   * @param validationLosses one loss per completed epoch, in order
   * @return the learning rate for the next epoch
   */
  public double rate(List<Double> validationLosses) {
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
    return lr;
  }
}
