// papo's browser tests: starts the real stack (redis-server, papo-app,
// papo-pusher, nginx from $PAPO_BUILD_DIR) on free ports under a mktemp -d
// directory, drives Debian's Chromium with playwright-core, stops every
// process it started by PID, and exits non-zero on any failure.
// Screenshots go to tests/e2e/artifacts/ (git-ignored).
//
//   PAPO_BUILD_DIR=build-test node tests/e2e/run.mjs [filtro]
//   PAPO_CHROMIUM=/usr/bin/chromium (default)

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { Executor } from './lib/executor.mjs';
import { Pilha } from './lib/pilha.mjs';
import * as autenticacao from './testes/autenticacao.mjs';
import * as busca from './testes/busca.mjs';
import * as capturas from './testes/capturas.mjs';
import * as conexao from './testes/conexao.mjs';
import * as conversas from './testes/conversas.mjs';
import * as diretas from './testes/diretas.mjs';
import * as dono from './testes/dono.mjs';
import * as logica from './testes/logica.mjs';
import * as notificacoes from './testes/notificacoes.mjs';
import * as sala from './testes/sala.mjs';
import * as salas from './testes/salas.mjs';

const aqui = path.dirname(fileURLToPath(import.meta.url));
const raiz = path.resolve(aqui, '..', '..');
const build = path.resolve(process.env.PAPO_BUILD_DIR ?? path.join(raiz, 'build'));
const artefatos = path.join(aqui, 'artifacts');
const ARGUMENTOS_CHROMIUM = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

for (const binario of ['fcgi-app/papo-app', 'sse-pusher/papo-pusher']) {
  if (!fs.existsSync(path.join(build, binario))) {
    console.error(`papo e2e: ${path.join(build, binario)} não existe; compile antes (PAPO_BUILD_DIR=${build})`);
    process.exit(2);
  }
}
fs.rmSync(artefatos, { recursive: true, force: true });
fs.mkdirSync(artefatos, { recursive: true });

const pilha = new Pilha(raiz, build);
let navegador = null;
let sucesso = false;
process.on('exit', () => pilha.matarJa());
for (const sinal of ['SIGINT', 'SIGTERM']) {
  process.on(sinal, () => { pilha.matarJa(); process.exit(130); });
}

try {
  await pilha.iniciar();
  console.log(`papo e2e: pilha em ${pilha.url} (arquivos em ${pilha.dir})`);
  navegador = await chromium.launch({
    executablePath: process.env.PAPO_CHROMIUM ?? '/usr/bin/chromium',
    args: ARGUMENTOS_CHROMIUM,
  });
  const executor = new Executor({ navegador, url: pilha.url, artefatos, filtro: process.argv[2] });
  for (const modulo of [logica, autenticacao, sala, salas, notificacoes, conexao, conversas, diretas, dono, busca, capturas]) modulo.registrar(executor, pilha);
  sucesso = await executor.executar();
} catch (erro) {
  console.error(`papo e2e: ${erro?.stack ?? erro}`);
} finally {
  await navegador?.close().catch(() => {});
  await pilha.parar();
  if (!sucesso) {
    pilha.guardarLogs(path.join(artefatos, 'logs'));
    console.error(`papo e2e: falhou; logs em ${path.join(artefatos, 'logs')}`);
  }
  pilha.removerDiretorio();
}
process.exit(sucesso ? 0 : 1);
