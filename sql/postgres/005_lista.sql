-- papo schema for PostgreSQL, version 5: the room list's order, as
-- sql/sqlite/006_lista.sql: sala.ultima_atividade is the data_envio of the
-- room's newest message (0 while none), kept by a trigger in the storing
-- transaction (which already holds this row's lock for ultimo_seq).
ALTER TABLE sala ADD COLUMN ultima_atividade bigint NOT NULL DEFAULT 0;
UPDATE sala s SET ultima_atividade = COALESCE(
  (SELECT m.data_envio FROM chat_mensagem m WHERE m.sala_id = s.id AND m.seq = s.ultimo_seq), 0);
CREATE FUNCTION papo_sala_atividade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sala SET ultima_atividade = NEW.data_envio WHERE id = NEW.sala_id AND ultima_atividade < NEW.data_envio;
  RETURN NULL;
END
$$;
CREATE TRIGGER chat_mensagem_atividade AFTER INSERT ON chat_mensagem
  FOR EACH ROW EXECUTE FUNCTION papo_sala_atividade();
