-- papo schema for PostgreSQL, version 3: rooms and people (DESIGN §9), as
-- sql/sqlite/004_salas.sql: owners, archiving, direct messages.
ALTER TABLE sala_membro ADD COLUMN papel text NOT NULL DEFAULT 'membro' CHECK (papel IN ('dono', 'membro'));
INSERT INTO sala_membro (sala_id, usuario_id, papel)
SELECT id, criado_por, 'dono' FROM sala WHERE criado_por IS NOT NULL
ON CONFLICT (sala_id, usuario_id) DO UPDATE SET papel = 'dono';

ALTER TABLE sala ADD COLUMN arquivada smallint NOT NULL DEFAULT 0 CHECK (arquivada IN (0, 1));

-- The room list's order, as in SQLite: set by papo_gravar_mensagem below
-- in the UPDATE that takes the seq (no trigger, no second row version).
ALTER TABLE sala ADD COLUMN ultima_atividade bigint NOT NULL DEFAULT 0;
UPDATE sala s SET ultima_atividade = COALESCE(
  (SELECT m.data_envio FROM chat_mensagem m WHERE m.sala_id = s.id AND m.seq = s.ultimo_seq), 0);

ALTER TABLE sala ADD COLUMN direta smallint NOT NULL DEFAULT 0 CHECK (direta IN (0, 1));
CREATE TABLE conversa_direta (
  usuario_menor bigint NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  usuario_maior bigint NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  sala_id       bigint NOT NULL UNIQUE REFERENCES sala(id) ON DELETE CASCADE,
  PRIMARY KEY (usuario_menor, usuario_maior),
  CHECK (usuario_menor < usuario_maior)
);

-- An archived room is read-only (DESIGN §9): the statement that takes the
-- seq refuses it too, so a send racing the archive cannot land after it.
-- As 001_inicial.sql's, with one more o_resultado: 'arquivada' (the author
-- may write there, but the room is archived: nothing stored).
CREATE OR REPLACE FUNCTION papo_gravar_mensagem(p_sala_id bigint, p_usuario_id bigint, p_mensagem text,
                                                p_data_envio bigint, p_client_id text,
                                                OUT o_resultado text, OUT o_id bigint, OUT o_seq bigint,
                                                OUT o_privada smallint)
LANGUAGE plpgsql AS $$
DECLARE
  v_arquivada smallint;
BEGIN
  IF p_client_id IS NOT NULL THEN
    SELECT m.id, m.seq INTO o_id, o_seq FROM chat_mensagem m
     WHERE m.usuario_id = p_usuario_id AND m.client_id = p_client_id;
    IF FOUND THEN
      o_resultado := 'repetida';
      RETURN;
    END IF;
  END IF;
  -- The access rule (DESIGN §3) and the archive in the statement that takes the seq.
  UPDATE sala s SET ultimo_seq = s.ultimo_seq + 1, ultima_atividade = GREATEST(s.ultima_atividade, p_data_envio)
   WHERE s.id = p_sala_id AND s.ativa = 1 AND s.arquivada = 0
     AND (s.privada = 0 OR EXISTS (SELECT 1 FROM sala_membro sm
                                    WHERE sm.sala_id = p_sala_id AND sm.usuario_id = p_usuario_id))
  RETURNING s.ultimo_seq, s.privada INTO o_seq, o_privada;
  IF NOT FOUND THEN
    SELECT s.arquivada INTO v_arquivada FROM sala s
     WHERE s.id = p_sala_id AND s.ativa = 1
       AND (s.privada = 0 OR EXISTS (SELECT 1 FROM sala_membro sm
                                      WHERE sm.sala_id = p_sala_id AND sm.usuario_id = p_usuario_id));
    IF FOUND AND v_arquivada = 1 THEN
      o_resultado := 'arquivada';
      RETURN;
    END IF;
    PERFORM 1 FROM sala s WHERE s.id = p_sala_id AND s.ativa = 1;
    o_resultado := CASE WHEN FOUND THEN 'sem_acesso' ELSE 'sala_inexistente' END;
    RETURN;
  END IF;
  -- ON CONFLICT: as in 001_inicial.sql (a client_id sent to two hosts at once).
  INSERT INTO chat_mensagem (sala_id, seq, usuario_id, mensagem, data_envio, client_id)
  VALUES (p_sala_id, o_seq, p_usuario_id, p_mensagem, p_data_envio, p_client_id)
  ON CONFLICT (usuario_id, client_id) DO NOTHING
  RETURNING id INTO o_id;
  IF FOUND THEN
    o_resultado := 'gravada';
    RETURN;
  END IF;
  UPDATE sala s SET ultimo_seq = s.ultimo_seq - 1 WHERE s.id = p_sala_id;
  SELECT m.id, m.seq INTO STRICT o_id, o_seq FROM chat_mensagem m
   WHERE m.usuario_id = p_usuario_id AND m.client_id = p_client_id;
  o_resultado := 'repetida';
END
$$;
