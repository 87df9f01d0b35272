// Reactions (DESIGN §9): the chips under a message (emoji + count, pressed
// when one of them is the reader's; a click toggles it) and the "Reagir"
// palette (a fixed set plus a field for any emoji), all by keyboard too.
// POST /chat/mensagens/{id}/reacoes (emoji, ativo 1/0) answers the updated
// message object, handed to aoAtualizar.

import { avisar } from '../comum/avisos.js';
import { el } from '../comum/dom.js';
import { postar, textoDoErro } from '../comum/http.js';

export const PALETA = ['👍', '❤️', '😂', '😮', '😢', '🎉', '🙏', '👀'];

/** "2 reações 👍, inclusive a sua" */
export function rotuloDaReacao({ emoji, total, minha }) {
  const quantas = total === 1 ? '1 reação' : `${total} reações`;
  return minha ? `${quantas} ${emoji}, inclusive a sua` : `${quantas} ${emoji}`;
}

/** The chips of message `m`, or null without reactions. */
export function chipsDeReacoes(m) {
  const reacoes = (m.reacoes ?? []).filter((r) => r.total > 0);
  if (!reacoes.length) return null;
  return el('div', { class: 'papo-reacoes', role: 'group', 'aria-label': 'Reações' },
    ...reacoes.map((r) => el('button', {
      type: 'button',
      class: 'papo-reacao',
      tabindex: '-1',  // see navegacao.js
      'data-acao': 'reacao',
      'data-emoji': r.emoji,
      'data-foco': `reacao:${r.emoji}`,
      'aria-pressed': r.minha ? 'true' : 'false',
      'aria-label': rotuloDaReacao(r),
      title: rotuloDaReacao(r),
    }, el('span', { 'aria-hidden': 'true' }, r.emoji), el('span', { class: 'papo-reacao-total', 'aria-hidden': 'true' }, String(r.total)))));
}

export class Reacoes {
  /** lista: the ListaMensagens; aoAtualizar(mensagem): a POST's answer. */
  constructor(lista, { aoAtualizar }) {
    this.lista = lista;
    this.aoAtualizar = aoAtualizar;
    this.paleta = null;  // { li, elemento, botao }
    lista.lista.addEventListener('click', (evento) => this.#aoClicar(evento));
    // A click elsewhere closes the palette (Esc too, see #teclar).
    document.addEventListener('click', (evento) => {
      const { elemento, li } = this.paleta ?? {};
      if (!elemento || elemento.contains(evento.target)) return;
      if (li.querySelector('[data-acao="reagir"]')?.contains(evento.target)) return;
      this.fecharPaleta({ devolverFoco: false });
    });
  }

  /** Toggles the reader's `emoji` on message `id`. */
  async alternar(id, emoji) {
    const minha = (this.lista.objeto(id)?.reacoes ?? []).some((r) => r.emoji === emoji && r.minha);
    const resultado = await postar(`/chat/mensagens/${id}/reacoes`, { emoji, ativo: minha ? 0 : 1 });
    if (resultado.ok && resultado.json.success) this.aoAtualizar(resultado.json.mensagem);
    else if (resultado.status !== 401) avisar(textoDoErro(resultado, 'Não foi possível reagir à mensagem. Tente de novo.'));
    return resultado.ok;
  }

  #aoClicar(evento) {
    const botao = evento.target.closest('button[data-acao]');
    const li = botao?.closest('li[data-id]');
    if (!li) return;
    const id = Number(li.dataset.id);
    if (botao.dataset.acao === 'reacao') this.alternar(id, botao.dataset.emoji);
    else if (botao.dataset.acao === 'reagir') this.#alternarPaleta(li, botao);
  }

  #alternarPaleta(li, botao) {
    const aberta = this.paleta?.li === li;
    this.fecharPaleta({ devolverFoco: false });
    if (!aberta) this.#abrirPaleta(li, botao);
  }

  /** Closes the open palette; the focus goes back to its "Reagir" button. */
  fecharPaleta({ devolverFoco = true } = {}) {
    if (!this.paleta) return;
    const { li, elemento } = this.paleta;
    this.paleta = null;
    elemento.remove();
    const botao = li.querySelector('[data-acao="reagir"]');
    botao?.setAttribute('aria-expanded', 'false');
    if (devolverFoco) botao?.focus();
  }

  #abrirPaleta(li, botao) {
    const id = Number(li.dataset.id);
    const escolher = async (emoji) => {
      if (await this.alternar(id, emoji)) this.fecharPaleta();
    };
    const botoes = PALETA.map((emoji) => el('button', { type: 'button', class: 'papo-paleta-emoji', 'aria-label': `Reagir com ${emoji}`, title: `Reagir com ${emoji}` }, emoji));
    botoes.forEach((b, i) => b.addEventListener('click', () => escolher(PALETA[i])));
    const campoId = `papo-outro-emoji-${id}`;
    const campo = el('input', { type: 'text', id: campoId, class: 'form-control form-control-sm papo-paleta-campo', placeholder: 'Outro emoji', autocomplete: 'off', maxlength: '32' });
    const form = el('form', { class: 'papo-paleta-outro' },
      el('label', { for: campoId, class: 'visually-hidden' }, 'Outro emoji'),
      campo,
      el('button', { type: 'submit', class: 'btn btn-sm btn-outline-primary' }, 'Reagir'));
    form.addEventListener('submit', (evento) => {
      evento.preventDefault();
      const emoji = campo.value.trim();
      if (emoji) escolher(emoji);
      else campo.focus();
    });
    const elemento = el('div', { class: 'papo-paleta', id: `papo-paleta-${id}`, role: 'group', 'aria-label': 'Escolher reação' },
      el('div', { class: 'papo-paleta-emojis' }, ...botoes), form);
    elemento.addEventListener('keydown', (evento) => this.#teclar(evento, botoes));
    li.append(elemento);
    botao.setAttribute('aria-expanded', 'true');
    botao.setAttribute('aria-controls', elemento.id);
    this.paleta = { li, elemento };
    botoes[0].focus();
  }

  // Esc closes; the arrow keys move along the emoji (Home/End to the ends).
  #teclar(evento, botoes) {
    if (evento.key === 'Escape') {
      evento.preventDefault();
      this.fecharPaleta();
      return;
    }
    const i = botoes.indexOf(document.activeElement);
    if (i === -1) return;
    const passos = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let j = null;
    if (evento.key in passos) j = (i + passos[evento.key] + botoes.length) % botoes.length;
    else if (evento.key === 'Home') j = 0;
    else if (evento.key === 'End') j = botoes.length - 1;
    if (j === null) return;
    evento.preventDefault();
    botoes[j].focus();
  }
}
