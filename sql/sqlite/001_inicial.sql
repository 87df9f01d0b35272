-- papo schema, version 1 (DESIGN §2). Times are epoch milliseconds.

CREATE TABLE usuario (
  id         INTEGER PRIMARY KEY,
  nome       TEXT    NOT NULL,
  email      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  senha_hash TEXT    NOT NULL,
  criado_em  INTEGER NOT NULL
);

-- The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessao (
  token_hash TEXT    PRIMARY KEY,
  usuario_id INTEGER NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  csrf_token TEXT    NOT NULL,
  criado_em  INTEGER NOT NULL,
  expira_em  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessao_por_usuario ON sessao(usuario_id);
CREATE INDEX sessao_por_expiracao ON sessao(expira_em);

CREATE TABLE sala (
  id         INTEGER PRIMARY KEY,
  nome       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  descricao  TEXT    NOT NULL DEFAULT '',
  privada    INTEGER NOT NULL DEFAULT 0 CHECK (privada IN (0, 1)),
  ativa      INTEGER NOT NULL DEFAULT 1 CHECK (ativa IN (0, 1)),
  criado_por INTEGER REFERENCES usuario(id),
  criado_em  INTEGER NOT NULL,
  ultimo_seq INTEGER NOT NULL DEFAULT 0   -- seq of the room's newest message
);

CREATE TABLE sala_membro (
  sala_id    INTEGER NOT NULL REFERENCES sala(id) ON DELETE CASCADE,
  usuario_id INTEGER NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  PRIMARY KEY (sala_id, usuario_id)
) WITHOUT ROWID;
CREATE INDEX sala_membro_por_usuario ON sala_membro(usuario_id, sala_id);

-- seq is contiguous per room (1, 2, 3 ...), taken from sala.ultimo_seq in
-- the inserting transaction. client_id makes a resend idempotent.
CREATE TABLE chat_mensagem (
  id         INTEGER PRIMARY KEY,
  sala_id    INTEGER NOT NULL REFERENCES sala(id),
  seq        INTEGER NOT NULL,
  usuario_id INTEGER NOT NULL REFERENCES usuario(id),
  mensagem   TEXT    NOT NULL,
  data_envio INTEGER NOT NULL,
  client_id  TEXT,
  UNIQUE (sala_id, seq),
  UNIQUE (usuario_id, client_id)
);
-- Unread counts scan (sala_id, seq > lido) and skip the reader's own
-- messages: covering index, no table lookups.
CREATE INDEX chat_mensagem_nao_lidas ON chat_mensagem(sala_id, seq, usuario_id);

CREATE TABLE leitura (
  sala_id         INTEGER NOT NULL REFERENCES sala(id) ON DELETE CASCADE,
  usuario_id      INTEGER NOT NULL REFERENCES usuario(id) ON DELETE CASCADE,
  ultimo_seq_lido INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (sala_id, usuario_id)
) WITHOUT ROWID;

-- The rooms of the seed design, unless rooms exist.
INSERT INTO sala (nome, descricao, privada, ativa, criado_em)
SELECT 'Sala Geral', 'Conversa aberta para todos os usuários', 0, 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
WHERE NOT EXISTS (SELECT 1 FROM sala);
INSERT INTO sala (nome, descricao, privada, ativa, criado_em)
SELECT 'Suporte Técnico', 'Tire dúvidas e peça ajuda com problemas técnicos', 0, 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
WHERE (SELECT COUNT(*) FROM sala) = 1;
INSERT INTO sala (nome, descricao, privada, ativa, criado_em)
SELECT 'Vendas', 'Negociações, propostas e dúvidas comerciais', 0, 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
WHERE (SELECT COUNT(*) FROM sala) = 2;
