-- Runs once, when the Postgres container starts with an empty data volume
-- (docker-entrypoint-initdb.d). The same databases as the local stack: the shortener's links are
-- spread over two physical databases (shortener_a: logical shards 0-7, shortener_b: 8-15), so the
-- compose stack exercises cross-database routing like production does. Flyway creates the tables.
CREATE DATABASE keygen;
CREATE DATABASE shortener_a;
CREATE DATABASE shortener_b;
CREATE DATABASE notification;
