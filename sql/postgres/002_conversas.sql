-- papo schema for PostgreSQL, version 2: messages after sending (DESIGN
-- §9), as sql/sqlite/003_conversas.sql.
--
-- An edit replaces mensagem and sets editada_em; a deletion leaves a
-- tombstone (mensagem '', excluida 1) that keeps its seq, so every room's
-- seqs stay contiguous and resumes never see a gap.
ALTER TABLE chat_mensagem ADD COLUMN editada_em bigint;  -- epoch ms, NULL = never edited
ALTER TABLE chat_mensagem ADD COLUMN excluida smallint NOT NULL DEFAULT 0 CHECK (excluida IN (0, 1));

-- One row per user and emoji on a message; toggling it off deletes the
-- row. A page of messages reads its reactions with one query by
-- mensagem_id (the primary key's prefix).
CREATE TABLE reacao (
  mensagem_id bigint NOT NULL REFERENCES chat_mensagem(id),
  usuario_id  bigint NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  emoji       text   NOT NULL,
  criado_em   bigint NOT NULL,
  PRIMARY KEY (mensagem_id, usuario_id, emoji)
);

-- Who a message mentions (filled when it is stored or edited); sala_id and
-- seq are copied so a user's mentions per room are one index range.
CREATE TABLE mencao (
  mensagem_id bigint NOT NULL REFERENCES chat_mensagem(id),
  usuario_id  bigint NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  sala_id     bigint NOT NULL REFERENCES sala(id),
  seq         bigint NOT NULL,
  PRIMARY KEY (mensagem_id, usuario_id)
);
CREATE INDEX mencao_por_usuario ON mencao(usuario_id, sala_id, seq);

-- The author's `lida` status: has someone read up to seq S in the room?
CREATE INDEX leitura_por_posicao ON leitura(sala_id, ultimo_seq_lido);
