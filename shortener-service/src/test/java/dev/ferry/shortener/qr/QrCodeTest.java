package dev.ferry.shortener.qr;

import static dev.ferry.shortener.support.ShortenerInfrastructure.PUBLIC_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class QrCodeTest extends ShortenerIntegrationTest {

  @Test
  void pngQrCodeDecodesToTheShortUrlAtTheRequestedSize() throws Exception {
    String code = shortenUrl(null, "https://example.com/printed");

    Http.Response response = http.get("/" + code + "/qr?format=png&size=300");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).contains("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.bytes()));
    assertThat(image.getWidth()).isEqualTo(300);
    assertThat(decode(image)).isEqualTo(PUBLIC_BASE_URL + "/" + code);
  }

  @Test
  void svgQrCodeIsAScalableImage() {
    String code = shortenUrl(null, "https://example.com/vector");

    Http.Response response = http.get("/" + code + "/qr?format=svg&size=512");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).contains("image/svg+xml");
    assertThat(response.body()).startsWith("<svg").contains("width=\"512\"").contains("<path");
  }

  @Test
  void unknownCodeAndBadParametersGetProblems() {
    String code = shortenUrl(null, "https://example.com/qr-params");

    assertThat(http.get("/" + unique("none") + "/qr").status()).isEqualTo(404);
    assertThat(http.get("/" + code + "/qr?format=gif").status()).isEqualTo(400);
    assertThat(http.get("/" + code + "/qr?size=10").status()).isEqualTo(400);
    assertThat(http.get("/" + code + "/qr?size=99999").status()).isEqualTo(400);
  }

  private static String decode(BufferedImage image) throws Exception {
    int[] pixels =
        image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    RGBLuminanceSource source = new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
  }
}
