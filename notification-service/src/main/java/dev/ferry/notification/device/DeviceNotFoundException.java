package dev.ferry.notification.device;

/** No device with that id is registered for the user. */
public class DeviceNotFoundException extends RuntimeException {

  private DeviceNotFoundException(String message) {
    super(message);
  }

  public static DeviceNotFoundException of(String userId, Object deviceId) {
    return new DeviceNotFoundException("user '" + userId + "' has no device with id " + deviceId);
  }
}
