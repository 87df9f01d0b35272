-- papo schema for PostgreSQL, version 4: message search (DESIGN §9), as
-- sql/sqlite/005_busca.sql: words folded for case and accents, and who may
-- read each message, in one GIN-indexed tsvector.
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

-- busca = the message's words (a tombstone: none) plus one access lexeme:
-- '#publica' for a public room's message, '#s<id>' for private room <id>'s.
-- No word can hold '#' (the parser drops it), so the two never collide. A
-- search ANDs its words with ('#publica' | '#s<each private room of the
-- reader>'), so the GIN index itself leaves out rooms the reader cannot see
-- (a word frequent there costs nothing). A room's privacy never changes,
-- so the lexeme is fixed per message. Kept by a trigger, since a generated
-- column cannot read sala; copy_to_postgres leaves the column to it.
ALTER TABLE chat_mensagem ADD COLUMN busca tsvector;

CREATE FUNCTION papo_busca_vetor(texto text, excluida smallint, sala bigint) RETURNS tsvector
LANGUAGE sql STABLE AS $$
  SELECT to_tsvector('papo_busca'::regconfig, CASE WHEN excluida = 0 THEN texto ELSE '' END)
         || array_to_tsvector(ARRAY[(SELECT CASE WHEN s.privada = 1 THEN '#s' || s.id ELSE '#publica' END
                                     FROM sala s WHERE s.id = sala)])
$$;

CREATE FUNCTION papo_busca_indexar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.busca := papo_busca_vetor(NEW.mensagem, NEW.excluida, NEW.sala_id);
  RETURN NEW;
END
$$;

CREATE TRIGGER chat_mensagem_busca BEFORE INSERT OR UPDATE OF mensagem, excluida ON chat_mensagem
  FOR EACH ROW EXECUTE FUNCTION papo_busca_indexar();

UPDATE chat_mensagem SET busca = papo_busca_vetor(mensagem, excluida, sala_id);
CREATE INDEX chat_mensagem_busca ON chat_mensagem USING gin (busca);
