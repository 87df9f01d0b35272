// A small sequential test runner: each test gets a fresh `t` with helpers,
// a time limit, screenshots of its open pages when it fails, and a check
// that no page threw an uncaught error. Ends with "N passed, N failed".

import fs from 'node:fs';
import path from 'node:path';

export class Executor {
  constructor({ navegador, url, artefatos, filtro }) {
    this.navegador = navegador;
    this.url = url;
    this.artefatos = artefatos;
    this.filtro = filtro;
    this.testes = [];
  }

  teste(nome, fn, { limiteMs = 90000 } = {}) {
    this.testes.push({ nome, fn, limiteMs });
  }

  async executar() {
    let passaram = 0;
    let falharam = 0;
    const selecionados = this.testes.filter((t) => !this.filtro || t.nome.includes(this.filtro));
    for (const [i, teste] of selecionados.entries()) {
      const contexto = new ContextoDeTeste(this, teste.nome);
      const inicio = Date.now();
      try {
        await comLimite(teste.fn(contexto), teste.limiteMs, `passou de ${teste.limiteMs} ms`);
        contexto.verificarErrosDasPaginas();
        passaram++;
        console.log(`ok ${i + 1} - ${teste.nome} (${Date.now() - inicio} ms)`);
      } catch (erro) {
        falharam++;
        console.log(`not ok ${i + 1} - ${teste.nome} (${Date.now() - inicio} ms)`);
        console.log(`  ${String(erro?.stack ?? erro).split('\n').join('\n  ')}`);
        await contexto.capturarFalha();
      } finally {
        await contexto.fechar();
      }
    }
    console.log(`${passaram} passed, ${falharam} failed`);
    return falharam === 0;
  }
}

function comLimite(promessa, ms, mensagem) {
  let tempo;
  const limite = new Promise((_, rejeitar) => { tempo = setTimeout(() => rejeitar(new Error(mensagem)), ms); });
  return Promise.race([promessa, limite]).finally(() => clearTimeout(tempo));
}

function nomeDeArquivo(texto) {
  return texto.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

class ContextoDeTeste {
  constructor(executor, nome) {
    this.executor = executor;
    this.url = executor.url;
    this.nome = nome;
    this.contextos = [];
    this.paginas = [];
    this.errosDasPaginas = [];
  }

  /** A new browser context (its own cookies: one user) and a page in it. */
  async novaPagina({ largura = 1280, altura = 800, rotulo } = {}) {
    const contexto = await this.executor.navegador.newContext({
      baseURL: this.url,
      viewport: { width: largura, height: altura },
      locale: 'pt-BR',
      timezoneId: 'America/Sao_Paulo',
      deviceScaleFactor: 1,
    });
    contexto.setDefaultTimeout(20000);  // steps (argon2 sign-ups on a busy machine); assertions set their own
    this.contextos.push(contexto);
    const pagina = await contexto.newPage();
    pagina.rotulo = rotulo ?? `pagina-${this.paginas.length + 1}`;
    pagina.on('pageerror', (erro) => this.errosDasPaginas.push(`${pagina.rotulo}: ${erro.message}`));
    // A Content-Security-Policy violation (DESIGN §11) only logs to the console.
    pagina.on('console', (mensagem) => {
      if (/Content Security Policy/i.test(mensagem.text())) this.errosDasPaginas.push(`${pagina.rotulo}: ${mensagem.text()}`);
    });
    this.paginas.push(pagina);
    return pagina;
  }

  /** Saves a screenshot under artifacts/ and returns its path. */
  async capturar(pagina, nome, opcoes = {}) {
    fs.mkdirSync(this.executor.artefatos, { recursive: true });
    const arquivo = path.join(this.executor.artefatos, `${nome}.png`);
    await pagina.screenshot({ path: arquivo, ...opcoes });
    return arquivo;
  }

  verificarErrosDasPaginas() {
    if (this.errosDasPaginas.length) throw new Error(`erros de JavaScript nas páginas:\n${this.errosDasPaginas.join('\n')}`);
  }

  async capturarFalha() {
    const base = `falha-${nomeDeArquivo(this.nome)}`;
    for (const pagina of this.paginas) {
      if (pagina.isClosed()) continue;
      await this.capturar(pagina, `${base}-${pagina.rotulo}`).catch(() => {});
    }
  }

  async fechar() {
    for (const contexto of this.contextos) await contexto.close().catch(() => {});
  }
}
