package dev.fmnist.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageLayoutTest {
  @Test
  void tellsChannelsFirstFromChannelsLastByWhereTheChannelsCanBe() {
    record Case(long[] declared, String expected) {}
    for (Case c : List.of(
        new Case(new long[] {-1, 1, 28, 28}, "nchw [-1,1,28,28]"),
        new Case(new long[] {-1, 28, 28, 1}, "nhwc [-1,28,28,1]"),
        new Case(new long[] {-1, 3, 32, 32}, "nchw [-1,3,32,32]"),
        new Case(new long[] {8, 1, -1, -1}, "nchw [-1,1,-1,-1]"),
        new Case(new long[] {-1, -1, -1, 3}, "nhwc [-1,-1,-1,3]"),
        new Case(new long[] {-1, -1, 28, 28}, "nchw [-1,-1,28,28]"),
        new Case(new long[] {-1, -1, -1, -1}, "nchw [-1,-1,-1,-1]"), // ONNX's own convention
        new Case(new long[] {-1, 3, 3, 3}, "nchw [-1,3,3,3]"),
        new Case(new long[] {-1, 28, 28}, "nhw [-1,28,28]"),
        new Case(new long[] {-1, 784}, "flat [-1,784]"))) {
      ImageLayout l = ImageLayout.matchChannelsFirstOrLast(c.declared());
      assertEquals(c.expected(), l.label() + " " + l.describe(), ImageLayout.format(c.declared()));
    }
    assertNull(ImageLayout.matchChannelsFirstOrLast(new long[] {-1, 4, 28, 4}));
    assertNull(ImageLayout.matchChannelsFirstOrLast(new long[] {-1, 1, 0, 28}));
    assertNull(ImageLayout.matchChannelsFirstOrLast(new long[] {0, 1, 28, 28}));
    assertNull(ImageLayout.matchChannelsFirstOrLast(new long[] {-1, 1, 1, 28, 28}));
    assertNull(ImageLayout.match(new long[] {-1, 1, 28, 28})); // SavedModels: channels last only
  }

  @Test
  void arrangesChannelsFirstOnlyWhereThereIsMoreThanOne() {
    ImageLayout nchw = ImageLayout.matchChannelsFirstOrLast(new long[] {-1, 3, 1, 2});
    DatasetSpec rgb = new DatasetSpec("rgb", 1, 2, 3, List.of("a", "b"));
    // pixel 0 = (r0, g0, b0), pixel 1 = (r1, g1, b1), channels last
    float[] hwc = {10, 20, 30, 11, 21, 31};
    assertArrayEquals(new float[] {10, 11, 20, 21, 30, 31}, nchw.arrange(hwc, 1, rgb));
    assertArrayEquals(new long[] {5, 3, 1, 2}, nchw.batchShape(5, rgb));
    float[] gray = new float[784];
    assertSame(gray, ImageLayout.matchChannelsFirstOrLast(new long[] {-1, 1, 28, 28})
        .arrange(gray, 1, FashionMnist.SPEC));
    assertSame(hwc, ImageLayout.nhwc(rgb).arrange(hwc, 1, rgb));
  }
}
