package dev.fmnist.export;

import dev.fmnist.AtomicFiles;
import dev.fmnist.model.VariableStore.ResourceVariable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.VariableDef;

/**
 * What Python's SavedModel builder writes into {@code saved_model.pb} and TensorFlow Java's
 * exporter does not, added after the export:
 *
 * <ul>
 *   <li>the {@code variables} and {@code trainable_variables} collections ({@code VariableDef}s).
 *       Python's loaders build their variable objects from them: without them {@code
 *       tf.saved_model.load(...).variables} is empty, a Keras {@code TFSMLayer} has no weights and
 *       {@code tf.compat.v1.global_variables()} is empty after a TF1 load;
 *   <li>{@code meta_info_def.tensorflow_version} (Python: {@code loaded.tensorflow_version});
 *   <li>{@code saved_model_schema_version} 1.
 * </ul>
 */
final class SavedModelMetadata {
  static final String VARIABLES = "variables";
  static final String TRAINABLE_VARIABLES = "trainable_variables";
  static final String SAVED_MODEL_PB = "saved_model.pb";

  private SavedModelMetadata() {}

  /**
   * Rewrites {@code dir/saved_model.pb}.
   *
   * @param dir the exported SavedModel (one MetaGraphDef)
   * @param variables the graph's resource variables
   * @param restoreOps for each variable, the saver op that assigns its restored value (named as
   *     its initializer: running it, with the checkpoint path fed, sets the exported value)
   * @param tensorflowVersion e.g. {@code 2.18.0}
   */
  static void complete(Path dir, List<ResourceVariable> variables, List<String> restoreOps, String tensorflowVersion)
      throws IOException {
    Path pb = dir.resolve(SAVED_MODEL_PB);
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(pb));
    if (model.getMetaGraphsCount() != 1) {
      throw new IllegalStateException(pb + ": expected one MetaGraphDef, found " + model.getMetaGraphsCount());
    }
    CollectionDef.BytesList.Builder all = CollectionDef.BytesList.newBuilder();
    CollectionDef.BytesList.Builder trainable = CollectionDef.BytesList.newBuilder();
    for (int i = 0; i < variables.size(); i++) {
      ResourceVariable v = variables.get(i);
      VariableDef def = VariableDef.newBuilder()
          .setVariableName(v.handle().op().name() + ":0")
          .setInitializerName(restoreOps.get(i))
          .setSnapshotName(v.value().op().name() + ":0")
          .setIsResource(true)
          .setTrainable(v.trainable())
          .build();
      all.addValue(def.toByteString());
      if (v.trainable()) {
        trainable.addValue(def.toByteString());
      }
    }
    MetaGraphDef.Builder meta = model.getMetaGraphs(0).toBuilder()
        .putCollectionDef(VARIABLES, CollectionDef.newBuilder().setBytesList(all).build())
        .putCollectionDef(TRAINABLE_VARIABLES, CollectionDef.newBuilder().setBytesList(trainable).build());
    meta.getMetaInfoDefBuilder().setTensorflowVersion(tensorflowVersion);
    SavedModel completed = model.toBuilder().setSavedModelSchemaVersion(1).setMetaGraphs(0, meta).build();
    AtomicFiles.write(pb, completed.toByteArray());
  }
}
