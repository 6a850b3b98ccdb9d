package dev.ferry.shortener.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Renders QR codes with ZXing's encoder. PNG is drawn into a {@link BufferedImage} and written with
 * ImageIO, and SVG is one path of unit squares, so only {@code zxing:core} is needed (its {@code
 * javase} module would add command-line and image-IO dependencies for two small methods).
 *
 * <p>Error correction level M (15 %) and a 2-module quiet zone: robust to print wear while keeping
 * a short URL at version 2-3 (25-29 modules), which scans from far away.
 *
 * <p>Stateless and thread-safe.
 */
final class QrCodes {

  private static final Map<EncodeHintType, Object> HINTS =
      Map.of(
          EncodeHintType.ERROR_CORRECTION,
          ErrorCorrectionLevel.M,
          EncodeHintType.MARGIN,
          2,
          EncodeHintType.CHARACTER_SET,
          StandardCharsets.UTF_8.name());

  byte[] png(String content, int size) {
    BitMatrix matrix = encode(content, size);
    BufferedImage image =
        new BufferedImage(matrix.getWidth(), matrix.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < matrix.getHeight(); y++) {
      for (int x = 0; x < matrix.getWidth(); x++) {
        image.setRGB(x, y, matrix.get(x, y) ? 0x000000 : 0xFFFFFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding into memory failed", e);
    }
    return out.toByteArray();
  }

  byte[] svg(String content, int size) {
    BitMatrix modules = encode(content, 0);
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < modules.getHeight(); y++) {
      for (int x = 0; x < modules.getWidth(); x++) {
        if (modules.get(x, y)) {
          path.append('M').append(x).append(',').append(y).append("h1v1h-1z");
        }
      }
    }
    String svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
            + size
            + "\" height=\""
            + size
            + "\" viewBox=\"0 0 "
            + modules.getWidth()
            + ' '
            + modules.getHeight()
            + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\""
            + " fill=\"#fff\"/><path fill=\"#000\" d=\""
            + path
            + "\"/></svg>";
    return svg.getBytes(StandardCharsets.UTF_8);
  }

  /** The module matrix scaled to {@code size} pixels, or unscaled (one pixel per module) for 0. */
  private static BitMatrix encode(String content, int size) {
    try {
      return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, size, size, HINTS);
    } catch (WriterException e) {
      throw new IllegalArgumentException("content does not fit in a QR code", e);
    }
  }
}
