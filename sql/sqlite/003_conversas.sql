-- papo schema, version 3: messages after sending (DESIGN §9).
--
-- An edit replaces mensagem and sets editada_em; a deletion leaves a
-- tombstone (mensagem '', excluida 1) that keeps its seq, so every room's
-- seqs stay contiguous and resumes never see a gap.
ALTER TABLE chat_mensagem ADD COLUMN editada_em INTEGER;  -- epoch ms, NULL = never edited
ALTER TABLE chat_mensagem ADD COLUMN excluida INTEGER NOT NULL DEFAULT 0 CHECK (excluida IN (0, 1));

-- One row per user and emoji on a message; toggling it off deletes the
-- row. A page of messages reads its reactions with one query by
-- mensagem_id (the primary key's prefix).
CREATE TABLE reacao (
  mensagem_id INTEGER NOT NULL REFERENCES chat_mensagem(id),
  usuario_id  INTEGER NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  emoji       TEXT    NOT NULL,
  criado_em   INTEGER NOT NULL,
  PRIMARY KEY (mensagem_id, usuario_id, emoji)
) WITHOUT ROWID;

-- Who a message mentions (filled when it is stored or edited); sala_id and
-- seq are copied so a user's mentions per room are one index range.
CREATE TABLE mencao (
  mensagem_id INTEGER NOT NULL REFERENCES chat_mensagem(id),
  usuario_id  INTEGER NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  sala_id     INTEGER NOT NULL REFERENCES sala(id),
  seq         INTEGER NOT NULL,
  PRIMARY KEY (mensagem_id, usuario_id)
) WITHOUT ROWID;
CREATE INDEX mencao_por_usuario ON mencao(usuario_id, sala_id, seq);

-- The author's `lida` status: has someone read up to seq S in the room?
CREATE INDEX leitura_por_posicao ON leitura(sala_id, ultimo_seq_lido);
