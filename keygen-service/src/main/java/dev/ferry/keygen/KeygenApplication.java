package dev.ferry.keygen;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class KeygenApplication {

  public static void main(String[] args) {
    SpringApplication.run(KeygenApplication.class, args);
  }
}
