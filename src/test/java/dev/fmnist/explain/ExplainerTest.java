package dev.fmnist.explain;

import dev.fmnist.data.FashionMnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fmnist.savedmodel.ClassifierModel;
import dev.fmnist.savedmodel.ImageLayout;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.Spec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The band model scores class c by the pixels of rows 4+2c and 5+2c, so both maps can be worked out
 * by hand: the gradient of score c is 0.1 on those two rows and 0 elsewhere. In the convolutional
 * variant (identity filter, then ReLU) the ReLU passes gradient only where the pixel is positive,
 * and Grad-CAM is the input itself weighted by the explained class's mean gradient.
 */
class ExplainerTest {
  @TempDir Path tmp;

  @Test
  void gradCamAndSaliencyPointAtTheExplainedBand() {
    Path dir = TinyModels.export(tmp.resolve("conv"), Spec.fmnist().withConv());
    TinyDataset data = TinyDataset.of(10, 0); // image i: band i only
    float[] images = new float[2 * 784];
    data.copyScaled(3, images, 0);
    data.copyScaled(8, images, 784);
    try (ClassifierModel m = ClassifierModel.load(dir, null, null)) {
      Explainer e = Explainer.of(m);
      assertEquals("conv_relu", e.featureMapName());
      Explanation[] ex = e.explain(images, 2, FashionMnist.SPEC, new int[] {-1, 2});
      assertEquals(3, ex[0].target());
      assertEquals(3, ex[0].predicted());
      assertEquals(1f, ex[0].saliency()[10 * 28 + 14], 1e-6f); // row 10 = band 3
      assertEquals(1f, ex[0].saliency()[11 * 28 + 25], 1e-6f);
      assertEquals(0f, ex[0].saliency()[10 * 28 + 0], 1e-6f); // dark: the ReLU blocks it
      assertEquals(0f, ex[0].saliency()[12 * 28 + 14], 1e-6f);
      assertEquals(1f, ex[0].gradCam()[10 * 28 + 14], 1e-5f); // the bright band itself
      assertEquals(0f, ex[0].gradCam()[10 * 28 + 0], 1e-6f); // dark margin of the band row
      assertEquals(0f, ex[0].gradCam()[20 * 28 + 14], 1e-6f);
      // image 8 explained as class 2: band 2 is dark in it, so no pixel has a gradient...
      assertEquals(8, ex[1].predicted());
      assertEquals(2, ex[1].target());
      for (int p = 0; p < 784; p++) {
        assertEquals(0f, ex[1].saliency()[p], "saliency " + p);
      }
      // ...but Grad-CAM weighs whole channels: class 2's mean gradient on the one channel is
      // positive, so the map is that channel's activity, band 8 (its known coarseness)
      assertEquals(1f, ex[1].gradCam()[20 * 28 + 14], 1e-5f);
      assertEquals(0f, ex[1].gradCam()[8 * 28 + 14], 1e-6f);
    }
  }

  @Test
  void aModelWithoutConvolutionGetsSaliencyOnly() {
    Path dir = TinyModels.export(tmp.resolve("flat"), Spec.fmnist().layout(ImageLayout.Kind.FLAT));
    try (ClassifierModel m = ClassifierModel.load(dir, null, null)) {
      Explainer e = Explainer.of(m);
      assertNull(e.featureMapName());
      // image 8, explained as class 2: without a ReLU the gradient is band 2's weights
      Explanation[] ex = e.explain(TinyDataset.of(10, 0).image(8), 1, FashionMnist.SPEC, new int[] {2});
      assertNull(ex[0].gradCam());
      assertEquals(8, ex[0].predicted());
      assertEquals(1f, ex[0].saliency()[8 * 28 + 0], 1e-6f);
      assertEquals(1f, ex[0].saliency()[9 * 28 + 27], 1e-6f);
      assertEquals(0f, ex[0].saliency()[20 * 28 + 14], 1e-6f);
    }
  }

  @Test
  void finiteDifferencesAgreeWithGraphGradientsOnALinearModel() {
    Path dir = TinyModels.export(tmp.resolve("fd"), Spec.fmnist().layout(ImageLayout.Kind.NHW));
    float[] image = TinyDataset.of(10, 0).image(6);
    try (ClassifierModel m = ClassifierModel.load(dir, null, null)) {
      Explanation graph = Explainer.of(m).explain(image, 1, FashionMnist.SPEC, new int[] {4})[0];
      Explainer fd = Explainer.withoutGraphGradients(m);
      assertEquals(false, fd.graphGradients());
      Explanation numeric = fd.explain(image, 1, FashionMnist.SPEC, new int[] {4})[0];
      assertNull(numeric.gradCam());
      for (int p = 0; p < 784; p++) {
        assertEquals(graph.saliency()[p], numeric.saliency()[p], 1e-3f, "pixel " + p);
      }
    }
  }
}
