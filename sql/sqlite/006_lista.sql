-- papo schema, version 6: the room list's order (issue 17, DESIGN §9).
--
-- sala.ultima_atividade is the data_envio of the room's newest message (0
-- while it has none), kept by a trigger in the transaction that stores the
-- message (which already updates this row's ultimo_seq), so ordering a
-- user's 2,000 rooms by activity reads the room rows alone instead of
-- probing chat_mensagem once per room. Edits and deletions keep it.
ALTER TABLE sala ADD COLUMN ultima_atividade INTEGER NOT NULL DEFAULT 0;
UPDATE sala SET ultima_atividade = COALESCE(
  (SELECT m.data_envio FROM chat_mensagem m WHERE m.sala_id = sala.id AND m.seq = sala.ultimo_seq), 0);
CREATE TRIGGER chat_mensagem_atividade AFTER INSERT ON chat_mensagem BEGIN
  UPDATE sala SET ultima_atividade = NEW.data_envio WHERE id = NEW.sala_id AND ultima_atividade < NEW.data_envio;
END;
