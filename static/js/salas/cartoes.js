// The room cards of /chat/listar-salas: read from the server-rendered markup
// (listar-salas.mustache), updated in place, and built for rooms that
// appear live. Same markup either way.

import { el } from '../comum/dom.js';
import { atividadeRelativa, dataCompleta } from '../comum/tempo.js';

const SVG = 'http://www.w3.org/2000/svg';

// The padlock of private rooms (the same SVG as the templates).
function cadeado() {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [nome, valor] of Object.entries({ class: 'papo-cadeado', 'aria-hidden': 'true', viewBox: '0 0 16 16', width: '14', height: '14', fill: 'currentColor' })) {
    svg.setAttribute(nome, valor);
  }
  const caminho = document.createElementNS(SVG, 'path');
  caminho.setAttribute('d', 'M8 1a2 2 0 0 1 2 2v4H6V3a2 2 0 0 1 2-2zm3 6V3a3 3 0 0 0-6 0v4a2 2 0 0 0-2 2v5a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2V9a2 2 0 0 0-2-2z');
  svg.append(caminho);
  return el('span', { class: 'papo-privada', title: 'Sala privada' }, svg, el('span', { class: 'visually-hidden' }, 'Sala privada:'));
}

function textoNaoLidas(n) {
  return n === 1 ? '1 mensagem não lida' : `${n} mensagens não lidas`;
}

function textoMencoes(n) {
  return n === 1 ? '1 menção a você' : `${n} menções a você`;
}

export class Cartao {
  constructor(coluna) {
    this.coluna = coluna;
    this.id = Number(coluna.dataset.salaId);
  }

  get ultimoSeq() { return Number(this.coluna.dataset.ultimoSeq ?? 0); }
  set ultimoSeq(seq) { this.coluna.dataset.ultimoSeq = String(seq); }
  get lidoAte() { return Number(this.coluna.dataset.lidoAte ?? 0); }
  set lidoAte(seq) { this.coluna.dataset.lidoAte = String(seq); }
  get nome() { return this.coluna.querySelector('.papo-sala-nome').textContent; }
  /** When the room last had activity (ms): the list's order, newest first. */
  get ordem() { return Number(this.coluna.dataset.ordem || 0); }
  set ordem(ms) { this.coluna.dataset.ordem = String(ms); }
  /** A direct message (named after the other person). */
  get direta() { return this.coluna.dataset.diretaCom !== undefined; }
  get mencoes() { return Number(this.coluna.dataset.mencoes || 0); }

  /** The mention badge ("@2"), hidden at zero. */
  mostrarMencoes(n) {
    this.coluna.dataset.mencoes = String(n);
    const badge = this.coluna.querySelector('.papo-mencoes');
    badge.textContent = `@${n > 99 ? '99+' : n}`;
    badge.setAttribute('aria-label', textoMencoes(n));
    badge.title = textoMencoes(n);
    badge.classList.toggle('d-none', n === 0);
  }

  mostrarOnline(n) {
    // A direct message shows whether the other person is online, not a count.
    if (this.direta) return;
    this.coluna.querySelector('.papo-online').textContent = String(n);
    this.coluna.querySelector('.papo-online-texto').classList.toggle('papo-ninguem-online', n === 0);
  }

  mostrarNaoLidas(n) {
    const badge = this.coluna.querySelector('.papo-nao-lidas');
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.setAttribute('aria-label', textoNaoLidas(n));
    badge.title = textoNaoLidas(n);
    badge.classList.toggle('d-none', n === 0);
    this.coluna.querySelector('.papo-sala-card').classList.toggle('papo-sala-com-novas', n > 0);
  }

  mostrarAtividade(iso) {
    const quando = this.coluna.querySelector('.papo-atividade');
    quando.dateTime = iso;
    this.atualizarHora();
  }

  atualizarHora(agora = new Date()) {
    const quando = this.coluna.querySelector('.papo-atividade');
    if (!quando.dateTime) return;
    quando.textContent = atividadeRelativa(quando.dateTime, agora);
    quando.title = dataCompleta(quando.dateTime);
  }

  mostrarDados({ nome, descricao }) {
    if (nome) this.coluna.querySelector('.papo-sala-nome').textContent = nome;
    if (descricao !== undefined) this.coluna.querySelector('.papo-sala-descricao').textContent = descricao;
  }

  /** A card for a room the server announced with a `sala` event. */
  static criar({ id, nome, descricao = '', privada = false, ultimo_seq: ultimoSeq = 0, direta = false, direta_com: diretaCom = 0, criado_em: criadoEm }) {
    const cadeadoVisivel = privada && !direta;
    const titulo = el('h3', { class: 'h5 card-title mb-1 text-truncate' },
      cadeadoVisivel ? cadeado() : null,
      cadeadoVisivel ? ' ' : null,
      el('span', { class: 'papo-sala-nome' }, nome));
    const badges = el('span', { class: 'd-flex gap-1 flex-shrink-0' },
      el('span', { class: 'badge rounded-pill text-bg-warning papo-mencoes d-none' }),
      el('span', { class: 'badge rounded-pill text-bg-danger papo-nao-lidas d-none', 'aria-label': textoNaoLidas(0) }, '0'));
    const presenca = direta
      ? el('span', { class: 'papo-online-texto papo-presenca-direta papo-ninguem-online' }, el('span', { class: 'papo-ponto-online', 'aria-hidden': 'true' }),
        el('span', { class: 'papo-presenca-texto' }, 'offline'))
      : el('span', { class: 'papo-online-texto papo-ninguem-online' }, el('span', { class: 'papo-ponto-online', 'aria-hidden': 'true' }),
        el('span', { class: 'papo-online' }, '0'), ' online');
    const rodape = el('p', { class: 'card-text small mb-0 d-flex justify-content-between' },
      presenca,
      el('time', { class: 'papo-atividade text-muted', datetime: '' }, 'sem mensagens'));
    const corpo = el('div', { class: 'card-body' },
      el('div', { class: 'd-flex justify-content-between align-items-start gap-2' }, titulo, badges),
      el('p', { class: 'card-text text-muted small mb-2 papo-sala-descricao' }, descricao),
      rodape);
    const coluna = el('div', {
      class: 'col-12 col-md-6 col-lg-4 papo-sala-nova',
      'data-sala-id': id,
      'data-ultimo-seq': ultimoSeq,
      'data-lido-ate': 0,
      'data-ordem': Date.parse(criadoEm ?? '') || Date.now(),
      'data-direta-com': direta ? diretaCom : null,
    }, el('a', { class: 'card h-100 text-decoration-none papo-sala-card', href: `/chat/sala/${id}` }, corpo));
    return new Cartao(coluna);
  }
}
