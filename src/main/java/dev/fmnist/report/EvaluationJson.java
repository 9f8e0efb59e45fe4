package dev.fmnist.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.data.TestSet;
import dev.fmnist.eval.ClassMetrics;
import dev.fmnist.eval.Evaluation;
import dev.fmnist.savedmodel.ModelFormat;
import dev.fmnist.savedmodel.ModelManifest;
import dev.fmnist.eval.ReliabilityBin;

/**
 * {@code evaluation.json}: the fields docs/contracts.md fixes ({@code model, split, count, accuracy,
 * macro, weighted, per_class, confusion_matrix, log_loss, ece}), then extras: top-2 accuracy, the
 * output kind, model format, signature, timing, reliability bins, the manifest's recorded test accuracy
 * and the test set's source.
 */
public final class EvaluationJson {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private EvaluationJson() {}

  /**
   * The JSON tree.
   *
   * @param e the evaluation
   * @param test the test images' source ({@code test_set}: files, whether they are the official
   *     test set), or null when the caller evaluated images of its own
   * @return the {@code evaluation.json} document as a tree
   */
  public static ObjectNode toTree(Evaluation e, TestSet test) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", e.model().directory());
    root.put("split", e.split());
    root.put("dataset", e.dataset());
    root.put("count", e.count());
    root.put("accuracy", e.accuracy());
    root.set("macro", averages(e.report().macroAverage()));
    root.set("weighted", averages(e.report().weightedAverage()));
    ArrayNode perClass = root.putArray("per_class");
    for (int c = 0; c < e.classNames().size(); c++) {
      ClassMetrics m = e.report().of(c);
      ObjectNode row = perClass.addObject();
      row.put("label", c);
      row.put("name", e.classNames().get(c));
      row.put("precision", m.precision());
      row.put("recall", m.recall());
      row.put("f1", m.f1());
      row.put("support", m.support());
    }
    ArrayNode cm = root.putArray("confusion_matrix");
    for (long[] r : e.report().confusionMatrix().toArray()) {
      ArrayNode row = cm.addArray();
      for (long v : r) {
        row.add(v);
      }
    }
    root.put("log_loss", e.logLoss());
    root.put("ece", e.calibration().expectedCalibrationError());

    root.put("top2_accuracy", e.top2Accuracy());
    root.put("correct", Math.round(e.accuracy() * e.count()));
    root.put("output_kind", e.predictions().kind().label());
    root.put("model_name", e.model().name());
    root.put("model_format", e.model().format().label());
    root.put(e.model().format() == ModelFormat.ONNX ? "model_file" : "saved_model_dir",
        e.model().location().toString());
    root.put("signature", e.model().signature());
    ObjectNode timing = root.putObject("timing");
    timing.put("batch_size", e.timing().batchSize());
    timing.put("model_seconds", e.timing().modelSeconds());
    timing.put("total_seconds", e.timing().totalSeconds());
    timing.put("images_per_second", e.timing().imagesPerSecond());
    ArrayNode bins = root.putArray("reliability_bins");
    for (ReliabilityBin b : e.calibration().bins()) {
      ObjectNode o = bins.addObject();
      o.put("lower", b.lower());
      o.put("upper", b.upper());
      o.put("count", b.count());
      o.put("accuracy", b.accuracy());
      o.put("mean_confidence", b.meanConfidence());
    }
    ModelManifest m = e.model().manifest();
    if (m != null && m.metric("test_accuracy").isPresent()) {
      double recorded = m.metric("test_accuracy").getAsDouble();
      root.put("manifest_test_accuracy", recorded);
      root.put("matches_manifest", recorded == e.accuracy());
    }
    if (test != null) {
      ObjectNode t = root.putObject("test_set");
      t.put("files", test.files());
      t.put("official", test.official());
      t.put("verdict", test.verdict());
    }
    return root;
  }

  private static ObjectNode averages(ClassMetrics m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("precision", m.precision());
    o.put("recall", m.recall());
    o.put("f1", m.f1());
    return o;
  }

  /**
   * The file's bytes.
   *
   * @param e the evaluation
   * @param test the test images' source, or null (see {@link #toTree})
   * @return the pretty-printed {@code evaluation.json}, UTF-8
   */
  public static byte[] toBytes(Evaluation e, TestSet test) {
    try {
      return JSON.writeValueAsBytes(toTree(e, test));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot write evaluation JSON", ex);
    }
  }
}
