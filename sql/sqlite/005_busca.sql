-- papo schema, version 5: message search (DESIGN §9, GET /chat/buscar).
--
-- A contentless FTS5 index (the text is stored once, in chat_mensagem; the
-- index holds only tokens) of two columns:
--   mensagem  the message's words; unicode61 with remove_diacritics 2 folds
--             case and accents, so "acao", "AÇÃO" and "ação" are one token.
--             A tombstone (excluida 1) is indexed as '' and never found.
--   acesso    who may read it: 'publica' for a public room's message, 's<id>'
--             for private room <id>'s. A search matches
--             `acesso : (publica OR s<each private room of the reader>)`
--             inside the index, so a word frequent in rooms the reader cannot
--             see costs a walk of index entries, not a table lookup per
--             message (bench/README.md, "Search"). The room rule is checked
--             again against sala and sala_membro in the same query.
-- A room's privacy never changes after it is created, so acesso is fixed
-- per message. Triggers keep the index in step with every insert, edit,
-- deletion and row delete; a contentless 'delete' must name exactly what
-- was indexed, so every trigger indexes the same expressions of the row.
CREATE VIRTUAL TABLE chat_mensagem_busca USING fts5(
  mensagem,
  acesso,
  content = '',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO chat_mensagem_busca (rowid, mensagem, acesso)
SELECT m.id, CASE WHEN m.excluida = 0 THEN m.mensagem ELSE '' END,
       CASE WHEN s.privada = 1 THEN 's' || s.id ELSE 'publica' END
FROM chat_mensagem m JOIN sala s ON s.id = m.sala_id;

CREATE TRIGGER chat_mensagem_busca_insere AFTER INSERT ON chat_mensagem BEGIN
  INSERT INTO chat_mensagem_busca (rowid, mensagem, acesso)
  VALUES (new.id, CASE WHEN new.excluida = 0 THEN new.mensagem ELSE '' END,
          (SELECT CASE WHEN s.privada = 1 THEN 's' || s.id ELSE 'publica' END FROM sala s WHERE s.id = new.sala_id));
END;

CREATE TRIGGER chat_mensagem_busca_altera AFTER UPDATE OF mensagem, excluida ON chat_mensagem BEGIN
  INSERT INTO chat_mensagem_busca (chat_mensagem_busca, rowid, mensagem, acesso)
  VALUES ('delete', old.id, CASE WHEN old.excluida = 0 THEN old.mensagem ELSE '' END,
          (SELECT CASE WHEN s.privada = 1 THEN 's' || s.id ELSE 'publica' END FROM sala s WHERE s.id = old.sala_id));
  INSERT INTO chat_mensagem_busca (rowid, mensagem, acesso)
  VALUES (new.id, CASE WHEN new.excluida = 0 THEN new.mensagem ELSE '' END,
          (SELECT CASE WHEN s.privada = 1 THEN 's' || s.id ELSE 'publica' END FROM sala s WHERE s.id = new.sala_id));
END;

CREATE TRIGGER chat_mensagem_busca_remove AFTER DELETE ON chat_mensagem BEGIN
  INSERT INTO chat_mensagem_busca (chat_mensagem_busca, rowid, mensagem, acesso)
  VALUES ('delete', old.id, CASE WHEN old.excluida = 0 THEN old.mensagem ELSE '' END,
          (SELECT CASE WHEN s.privada = 1 THEN 's' || s.id ELSE 'publica' END FROM sala s WHERE s.id = old.sala_id));
END;
