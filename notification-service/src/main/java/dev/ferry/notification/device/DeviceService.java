package dev.ferry.notification.device;

import dev.ferry.notification.Channel;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Where a user can be reached: push tokens of active devices, an email address and an E.164 phone
 * number. The facade the accept path and the workers use. Thread-safe.
 */
@Service
public class DeviceService {

  private final DeviceRepository repository;
  private final Clock clock;

  DeviceService(DeviceRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /**
   * For each of {@code userIds}, the channels on which it can be reached (an active device, an
   * email address, a phone number), in two queries however many users there are.
   */
  public Map<String, Set<Channel>> reachableChannels(Collection<String> userIds) {
    Set<String> withDevice = repository.withActiveDevice(userIds);
    Map<String, ContactsResponse> contacts = repository.contacts(userIds);
    Map<String, Set<Channel>> reachable = new HashMap<>();
    for (String user : userIds) {
      Set<Channel> channels = EnumSet.noneOf(Channel.class);
      if (withDevice.contains(user)) {
        channels.add(Channel.PUSH);
      }
      ContactsResponse contact = contacts.get(user);
      if (contact != null && contact.email() != null) {
        channels.add(Channel.EMAIL);
      }
      if (contact != null && contact.phone() != null) {
        channels.add(Channel.SMS);
      }
      reachable.put(user, channels);
    }
    return reachable;
  }

  /**
   * Push tokens of the active devices of each of {@code userIds} that has any, oldest first, in one
   * query.
   */
  public Map<String, List<String>> activeTokens(Collection<String> userIds) {
    return repository.activeTokens(userIds);
  }

  /** The email address of each of {@code userIds} that has one, in one query. */
  public Map<String, String> emails(Collection<String> userIds) {
    Map<String, String> emails = new HashMap<>();
    repository
        .contacts(userIds)
        .forEach(
            (user, contact) -> {
              if (contact.email() != null) {
                emails.put(user, contact.email());
              }
            });
    return emails;
  }

  /** The phone number of each of {@code userIds} that has one, in one query. */
  public Map<String, String> phones(Collection<String> userIds) {
    Map<String, String> phones = new HashMap<>();
    repository
        .contacts(userIds)
        .forEach(
            (user, contact) -> {
              if (contact.phone() != null) {
                phones.put(user, contact.phone());
              }
            });
    return phones;
  }

  /**
   * Stops pushing to {@code token} at once: FCM said it is dead (unregistered, not a valid
   * registration token, or registered to another sender). Idempotent.
   */
  public void deactivateToken(String token, String reason) {
    repository.deactivate(token, reason, clock.instant());
  }

  DeviceResponse register(String userId, DeviceRequest request) {
    return repository.register(userId, request.token(), request.platform(), clock.instant());
  }

  List<DeviceResponse> list(String userId) {
    return repository.list(userId);
  }

  void delete(String userId, UUID id) {
    if (!repository.delete(userId, id)) {
      throw DeviceNotFoundException.of(userId, id);
    }
  }

  ContactsResponse contacts(String userId) {
    return repository.contacts(userId).orElse(new ContactsResponse(userId, null, null));
  }

  ContactsResponse saveContacts(String userId, ContactsRequest request) {
    repository.saveContacts(userId, request.email(), request.phone(), clock.instant());
    return new ContactsResponse(userId, request.email(), request.phone());
  }
}
