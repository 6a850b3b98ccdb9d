package dev.ferry.notification.device;

/** A user's email and SMS contact points. */
record ContactsResponse(String userId, String email, String phone) {}
