package dev.fmnist.train.tensorboard;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.HistogramProto;

/** The events of one run directory, read back through {@link EventFiles}, with lookups for tests. */
final class EventLog {
  /** One logged value of a tag. */
  record Point(long step, float value) {}

  final List<Event> events;
  final String warnings;

  private EventLog(List<Event> events, String warnings) {
    this.events = events;
    this.warnings = warnings;
  }

  static EventLog read(Path dir) {
    StringWriter w = new StringWriter();
    List<Event> events = EventFiles.read(dir, new PrintWriter(w, true));
    return new EventLog(events, w.toString());
  }

  /** The scalar values of {@code tag} in file order. */
  List<Point> scalars(String tag) {
    List<Point> points = new ArrayList<>();
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getTag().equals(tag)) {
          points.add(new Point(e.getStep(), scalar(v)));
        }
      }
    }
    return points;
  }

  List<Long> steps(String tag) {
    return scalars(tag).stream().map(Point::step).toList();
  }

  /** The histograms of {@code tag} in file order. */
  List<HistogramProto> histograms(String tag) {
    List<HistogramProto> out = new ArrayList<>();
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getTag().equals(tag)) {
          out.add(v.getHisto());
        }
      }
    }
    return out;
  }

  List<Long> histogramSteps(String tag) {
    List<Long> steps = new ArrayList<>();
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getTag().equals(tag)) {
          steps.add(e.getStep());
        }
      }
    }
    return steps;
  }

  long graphs() {
    return events.stream().filter(Event::hasGraphDef).count();
  }

  List<Long> sessionStarts() {
    return events.stream().filter(Event::hasSessionLog).map(Event::getStep).toList();
  }

  private static float scalar(Summary.Value v) {
    if (v.getValueCase() != Summary.Value.ValueCase.SIMPLE_VALUE) {
      throw new AssertionError(v.getTag() + ": not a simple value: " + v);
    }
    return v.getSimpleValue();
  }
}
