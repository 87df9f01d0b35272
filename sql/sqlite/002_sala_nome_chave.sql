-- papo schema, version 2: room names unique case-insensitively beyond
-- ASCII. sala.nome's COLLATE NOCASE folds A-Z only ("SUPORTE TÉCNICO" got
-- in beside "Suporte Técnico"), so papo-app folds the name
-- (common/case_fold.h: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic)
-- and stores the key here; RoomRepository writes it with every insert.
--
-- Rows that exist when this runs (the seed rooms included) get their key
-- right after this file, in C++, in this same transaction
-- (FillRoomNameKeys in fcgi-app/db/migrations.cc); NULLs are distinct for
-- a UNIQUE index, so it can be created first and checks that step too.
ALTER TABLE sala ADD COLUMN nome_chave TEXT;
CREATE UNIQUE INDEX sala_por_nome_chave ON sala(nome_chave);
