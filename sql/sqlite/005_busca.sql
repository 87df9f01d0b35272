-- papo schema, version 5: message search (DESIGN §9, GET /chat/buscar).
--
-- An FTS5 index over chat_mensagem.mensagem with external content (the text
-- is stored once, in chat_mensagem; the index holds only its tokens).
-- unicode61 with remove_diacritics 2 folds case and accents, so "acao",
-- "AÇÃO" and "ação" are one token. A tombstone (excluida 1) is indexed as
-- '' and so is never found; triggers keep the index in step with every
-- insert, edit, deletion and row delete. An external-content 'delete' must
-- name exactly the text that was indexed: every trigger indexes the same
-- expression of the row.
CREATE VIRTUAL TABLE chat_mensagem_busca USING fts5(
  mensagem,
  content = 'chat_mensagem',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO chat_mensagem_busca (rowid, mensagem)
SELECT id, CASE WHEN excluida = 0 THEN mensagem ELSE '' END FROM chat_mensagem;

CREATE TRIGGER chat_mensagem_busca_insere AFTER INSERT ON chat_mensagem BEGIN
  INSERT INTO chat_mensagem_busca (rowid, mensagem)
  VALUES (new.id, CASE WHEN new.excluida = 0 THEN new.mensagem ELSE '' END);
END;

CREATE TRIGGER chat_mensagem_busca_altera AFTER UPDATE OF mensagem, excluida ON chat_mensagem BEGIN
  INSERT INTO chat_mensagem_busca (chat_mensagem_busca, rowid, mensagem)
  VALUES ('delete', old.id, CASE WHEN old.excluida = 0 THEN old.mensagem ELSE '' END);
  INSERT INTO chat_mensagem_busca (rowid, mensagem)
  VALUES (new.id, CASE WHEN new.excluida = 0 THEN new.mensagem ELSE '' END);
END;

CREATE TRIGGER chat_mensagem_busca_remove AFTER DELETE ON chat_mensagem BEGIN
  INSERT INTO chat_mensagem_busca (chat_mensagem_busca, rowid, mensagem)
  VALUES ('delete', old.id, CASE WHEN old.excluida = 0 THEN old.mensagem ELSE '' END);
END;
