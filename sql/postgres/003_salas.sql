-- papo schema for PostgreSQL, version 3: rooms and people (DESIGN §9), as
-- sql/sqlite/004_salas.sql: owners, archiving, direct messages.
ALTER TABLE sala_membro ADD COLUMN papel text NOT NULL DEFAULT 'membro' CHECK (papel IN ('dono', 'membro'));
INSERT INTO sala_membro (sala_id, usuario_id, papel)
SELECT id, criado_por, 'dono' FROM sala WHERE criado_por IS NOT NULL
ON CONFLICT (sala_id, usuario_id) DO UPDATE SET papel = 'dono';

ALTER TABLE sala ADD COLUMN arquivada smallint NOT NULL DEFAULT 0 CHECK (arquivada IN (0, 1));

ALTER TABLE sala ADD COLUMN direta smallint NOT NULL DEFAULT 0 CHECK (direta IN (0, 1));
CREATE TABLE conversa_direta (
  usuario_menor bigint NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  usuario_maior bigint NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  sala_id       bigint NOT NULL UNIQUE REFERENCES sala(id) ON DELETE CASCADE,
  PRIMARY KEY (usuario_menor, usuario_maior),
  CHECK (usuario_menor < usuario_maior)
);
