package dev.ferry.notification.device;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users/{userId}")
class DeviceController {

  private final DeviceService devices;

  DeviceController(DeviceService devices) {
    this.devices = devices;
  }

  @PostMapping("/devices")
  ResponseEntity<DeviceResponse> register(
      @PathVariable @NotBlank @Size(max = 100) String userId,
      @Valid @RequestBody DeviceRequest request) {
    return ResponseEntity.status(HttpStatus.CREATED).body(devices.register(userId, request));
  }

  @GetMapping("/devices")
  List<DeviceResponse> list(@PathVariable String userId) {
    return devices.list(userId);
  }

  @DeleteMapping("/devices/{deviceId}")
  ResponseEntity<Void> delete(@PathVariable String userId, @PathVariable UUID deviceId) {
    devices.delete(userId, deviceId);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/contacts")
  ContactsResponse contacts(@PathVariable String userId) {
    return devices.contacts(userId);
  }

  @PutMapping("/contacts")
  ContactsResponse saveContacts(
      @PathVariable @NotBlank @Size(max = 100) String userId,
      @Valid @RequestBody ContactsRequest request) {
    return devices.saveContacts(userId, request);
  }
}
