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

  /** A summary value of a tag and the step of its event. */
  private record Tagged(long step, Summary.Value value) {}

  private List<Tagged> values(String tag) {
    List<Tagged> out = new ArrayList<>();
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getTag().equals(tag)) {
          out.add(new Tagged(e.getStep(), v));
        }
      }
    }
    return out;
  }

  /** The scalar values of {@code tag} in file order. */
  List<Point> scalars(String tag) {
    return values(tag).stream().map(t -> new Point(t.step(), scalar(t.value()))).toList();
  }

  List<Long> steps(String tag) {
    return scalars(tag).stream().map(Point::step).toList();
  }

  /** The histograms of {@code tag} in file order. */
  List<HistogramProto> histograms(String tag) {
    return values(tag).stream().map(t -> t.value().getHisto()).toList();
  }

  List<Long> histogramSteps(String tag) {
    return values(tag).stream().map(Tagged::step).toList();
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
