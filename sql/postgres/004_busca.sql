-- papo schema for PostgreSQL, version 4: message search (DESIGN §9), as
-- sql/sqlite/005_busca.sql: words folded for case and accents.
--
-- unaccent is a trusted extension since PostgreSQL 13: the database's owner
-- may create it (papo connects as the owner; tests/support/pg_server and
-- deploy/run-stack create the database that way). papo_busca is `simple`
-- (no stemming, no stop words: a word is found as typed) with unaccent in
-- front of it for the word token types; unaccent maps upper-case letters to
-- upper-case bases, and simple lower-cases after it.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION papo_busca (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION papo_busca
  ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
  WITH unaccent, simple;

-- to_tsvector(regconfig, text) is immutable, so it may define a stored
-- generated column: the index follows every insert and edit by itself. A
-- tombstone (excluida 1) is indexed empty. copy_to_postgres skips generated
-- columns (PostgreSQL computes them).
ALTER TABLE chat_mensagem ADD COLUMN busca tsvector
  GENERATED ALWAYS AS (to_tsvector('papo_busca'::regconfig, CASE WHEN excluida = 0 THEN mensagem ELSE '' END)) STORED;
CREATE INDEX chat_mensagem_busca ON chat_mensagem USING gin (busca);
