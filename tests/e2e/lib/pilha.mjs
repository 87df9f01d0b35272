// The real papo stack for the browser tests: redis-server, papo-app
// workers, papo-pusher and nginx from $PAPO_BUILD_DIR, on free 127.0.0.1
// ports, every file under one mktemp -d directory. Every process is started
// here, remembered by PID and stopped by PID (never by name).

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ESPERA_INICIO_MS = 15000;

function portaLivre() {
  return new Promise((resolve, reject) => {
    const servidor = net.createServer();
    servidor.once('error', reject);
    servidor.listen(0, '127.0.0.1', () => {
      const { port } = servidor.address();
      servidor.close(() => resolve(port));
    });
  });
}

function conecta(opcoes) {
  return new Promise((resolve) => {
    const socket = net.connect(opcoes);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function esperarConexao(opcoes, processo, nome) {
  const limite = Date.now() + ESPERA_INICIO_MS;
  while (Date.now() < limite) {
    if (processo.exitCode !== null) throw new Error(`${nome} terminou ao iniciar (código ${processo.exitCode})`);
    if (await conecta(opcoes)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${nome} não aceitou conexões em ${ESPERA_INICIO_MS} ms`);
}

export class Pilha {
  /** raiz: the repository; build: the build directory with the binaries. */
  constructor(raiz, build) {
    this.raiz = raiz;
    this.build = build;
    this.processos = new Map();  // nome → ChildProcess
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papo-e2e-'));
    this.logs = path.join(this.dir, 'logs');
    fs.mkdirSync(this.logs);
    fs.mkdirSync(path.join(this.dir, 'nginx-tmp'));
    this.trabalhadores = 2;
  }

  get url() { return `http://127.0.0.1:${this.portaHttp}`; }

  async iniciar() {
    this.portaRedis = await portaLivre();
    this.portaHttp = await portaLivre();
    this.ambiente = {
      ...process.env,
      PAPO_DB: path.join(this.dir, 'papo.db'),
      PAPO_REDIS_URL: `redis://127.0.0.1:${this.portaRedis}/0`,
      PAPO_LOG_LEVEL: 'info',
      TZ: 'America/Sao_Paulo',
      CHAT_HISTORY_LIMIT: '30',
      CHAT_RATE_LIMIT: '0',
      // A test makes a second page of the room list as one user.
      CHAT_ROOMS_PER_HOUR: '0',
      // Every test registers and logs in from 127.0.0.1: no per-address
      // limits (papo-app's, and nginx's as rendered below).
      CHAT_IP_RATE_LIMIT: '0',
      // Small, so that a test can make a gap the cache cannot cover.
      CHAT_CACHE_SIZE: '20',
      PAPO_PUSHER_DRAIN_MS: '300',
    };
    await this.#iniciarRedis();
    const sockets = [];
    for (let i = 0; i < this.trabalhadores; i++) sockets.push(await this.#iniciarApp(i));
    this.socketPusher = path.join(this.dir, 'pusher.sock');
    await this.iniciarPusher();
    await this.#iniciarNginx(sockets);
  }

  #lancar(nome, comando, argumentos, ambiente = this.ambiente) {
    const log = fs.openSync(path.join(this.logs, `${nome}.log`), 'a');
    const processo = spawn(comando, argumentos, { env: ambiente, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    processo.once('error', () => {});
    this.processos.set(nome, processo);
    return processo;
  }

  async #iniciarRedis() {
    const processo = this.#lancar('redis', 'redis-server', [
      '--port', String(this.portaRedis), '--bind', '127.0.0.1', '--dir', this.dir,
      '--save', '', '--appendonly', 'no', '--daemonize', 'no',
    ]);
    await esperarConexao({ host: '127.0.0.1', port: this.portaRedis }, processo, 'redis-server');
  }

  async #iniciarApp(i) {
    const socket = path.join(this.dir, `app-${i}.sock`);
    const processo = this.#lancar(`app-${i}`, path.join(this.build, 'fcgi-app', 'papo-app'), [],
      { ...this.ambiente, PAPO_FCGI_LISTEN: socket, PAPO_WORKER_THREADS: '4' });
    await esperarConexao({ path: socket }, processo, `papo-app ${i}`);
    return socket;
  }

  /** Starts papo-pusher (again, after pararPusher) on the same socket. */
  async iniciarPusher() {
    const processo = this.#lancar('pusher', path.join(this.build, 'sse-pusher', 'papo-pusher'), [],
      { ...this.ambiente, PAPO_PUSHER_LISTEN: this.socketPusher, PAPO_PUSHER_ID: 'e2e-pusher' });
    await esperarConexao({ path: this.socketPusher }, processo, 'papo-pusher');
  }

  /** Stops papo-pusher by its PID (SIGTERM) and waits until it exited. */
  pararPusher() { return this.#parar('pusher'); }

  async #iniciarNginx(sockets) {
    const conf = execFileSync(path.join(this.raiz, 'deploy', 'render-nginx-conf'),
      [this.dir, `127.0.0.1:${this.portaHttp}`, sockets.join(' '), this.socketPusher],
      { encoding: 'utf8', env: this.ambiente });
    const arquivo = path.join(this.dir, 'nginx.conf');
    fs.writeFileSync(arquivo, conf);
    const processo = this.#lancar('nginx', 'nginx',
      ['-p', this.dir, '-c', arquivo, '-e', path.join(this.logs, 'nginx-error.log')]);
    await esperarConexao({ host: '127.0.0.1', port: this.portaHttp }, processo, 'nginx');
  }

  async #parar(nome, limiteMs = 10000) {
    const processo = this.processos.get(nome);
    if (!processo) return;
    this.processos.delete(nome);
    if (processo.exitCode !== null || processo.signalCode !== null) return;
    const saiu = new Promise((resolve) => processo.once('exit', resolve));
    processo.kill('SIGTERM');
    const tempo = setTimeout(() => processo.kill('SIGKILL'), limiteMs);
    await saiu;
    clearTimeout(tempo);
  }

  /** Stops everything this object started, newest first. */
  async parar() {
    for (const nome of [...this.processos.keys()].reverse()) await this.#parar(nome);
  }

  /** Last resort on process exit: synchronous SIGKILL by PID. */
  matarJa() {
    for (const processo of this.processos.values()) {
      try { if (processo.exitCode === null) process.kill(processo.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }

  /** Copies the logs to `destino` (for a failed run). */
  guardarLogs(destino) {
    fs.mkdirSync(destino, { recursive: true });
    for (const arquivo of fs.readdirSync(this.logs)) fs.copyFileSync(path.join(this.logs, arquivo), path.join(destino, arquivo));
  }

  removerDiretorio() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
