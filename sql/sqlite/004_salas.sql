-- papo schema, version 4: rooms and people (DESIGN §9): owners,
-- archiving, direct messages.
--
-- sala_membro now also holds owners: papel 'dono' is the room's creator
-- (public rooms too: their owner row grants nothing but ownership, since
-- anyone may read a public room); 'membro' everyone else. Seed rooms
-- have no owner, so nobody renames "Sala Geral".
ALTER TABLE sala_membro ADD COLUMN papel TEXT NOT NULL DEFAULT 'membro' CHECK (papel IN ('dono', 'membro'));
INSERT INTO sala_membro (sala_id, usuario_id, papel)
SELECT id, criado_por, 'dono' FROM sala WHERE criado_por IS NOT NULL
ON CONFLICT (sala_id, usuario_id) DO UPDATE SET papel = 'dono';

-- An archived room is read-only and leaves the main room list.
ALTER TABLE sala ADD COLUMN arquivada INTEGER NOT NULL DEFAULT 0 CHECK (arquivada IN (0, 1));

-- The room list's order (newest activity first): the data_envio of the
-- room's newest message, 0 while it has none. The statement that takes a
-- message's seq sets it (MessageRepository: the row it already updates),
-- so ordering a user's 2,000 rooms reads room rows alone instead of
-- probing chat_mensagem once per room. Edits and deletions keep it.
ALTER TABLE sala ADD COLUMN ultima_atividade INTEGER NOT NULL DEFAULT 0;
UPDATE sala SET ultima_atividade = COALESCE(
  (SELECT m.data_envio FROM chat_mensagem m WHERE m.sala_id = sala.id AND m.seq = sala.ultimo_seq), 0);

-- A direct message is a private two-person room (direta 1) named after
-- the other person for each side; its sala.nome is an internal key that
-- starts with a control character, which no room name a user types may
-- hold, so it can never collide with one. conversa_direta makes the room
-- one per pair: its primary key is the pair, smaller id first.
ALTER TABLE sala ADD COLUMN direta INTEGER NOT NULL DEFAULT 0 CHECK (direta IN (0, 1));
CREATE TABLE conversa_direta (
  usuario_menor INTEGER NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  usuario_maior INTEGER NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  sala_id       INTEGER NOT NULL UNIQUE REFERENCES sala(id) ON DELETE CASCADE,
  PRIMARY KEY (usuario_menor, usuario_maior),
  CHECK (usuario_menor < usuario_maior)
) WITHOUT ROWID;
