package dev.ferry.keygen.keys;

import java.util.List;

/** The answer to {@code POST /api/v1/keys}: codes nobody else ever gets. */
record KeysResponse(List<String> keys) {}
