// Editing a message in place (DESIGN §9): "Editar" on one of the reader's
// messages, or the Up arrow in an empty message box for the last one,
// turns its text into a textarea; Enter saves (POST
// /chat/mensagens/{id}/editar), Shift+Enter breaks the line, Esc cancels.
// The answer (the updated message object) goes to aoAtualizar.

import { avisar } from '../comum/avisos.js';
import { el } from '../comum/dom.js';
import { postar, textoDoErro } from '../comum/http.js';

function tamanho(texto) { return [...texto].length; }

export class Edicao {
  /**
   * lista: the ListaMensagens; compositor: the message box's textarea;
   * maximo: CHAT_MESSAGE_MAX_LENGTH; aoAtualizar(mensagem).
   */
  constructor(lista, compositor, maximo, { aoAtualizar }) {
    this.lista = lista;
    this.compositor = compositor;
    this.maximo = maximo;
    this.aoAtualizar = aoAtualizar;
    this.aberta = null;  // { id, li, form, texto, voltar }
    lista.lista.addEventListener('click', (evento) => {
      const botao = evento.target.closest('button[data-acao="editar"]');
      const li = botao?.closest('li[data-id]');
      if (li) this.abrir(li, botao);
    });
    compositor.addEventListener('keydown', (evento) => {
      if (evento.key !== 'ArrowUp' || evento.isComposing || compositor.value !== '') return;
      const li = lista.ultimaPropria();
      if (!li) return;
      evento.preventDefault();
      this.abrir(li, compositor);
    });
  }

  /** Opens the editor on `li`; the focus returns to `voltar` when it closes. */
  abrir(li, voltar) {
    const id = Number(li.dataset.id);
    const mensagem = this.lista.objeto(id);
    if (!mensagem || mensagem.excluida) return;
    this.fechar({ devolverFoco: false });
    const campoId = `papo-editar-${id}`;
    const texto = el('textarea', { id: campoId, class: 'form-control form-control-sm papo-editor-texto', rows: '2', 'aria-describedby': `${campoId}-dica` });
    texto.value = mensagem.mensagem;
    const form = el('form', { class: 'papo-editor' },
      el('label', { for: campoId, class: 'visually-hidden' }, 'Editar mensagem'),
      texto,
      el('div', { class: 'papo-editor-rodape' },
        el('span', { id: `${campoId}-dica`, class: 'papo-editor-dica' }, 'Enter salva · Esc cancela'),
        el('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', 'data-editor': 'cancelar' }, 'Cancelar'),
        el('button', { type: 'submit', class: 'btn btn-sm btn-primary' }, 'Salvar')));
    form.addEventListener('submit', (evento) => {
      evento.preventDefault();
      this.salvar();
    });
    form.querySelector('[data-editor="cancelar"]').addEventListener('click', () => this.fechar());
    texto.addEventListener('keydown', (evento) => {
      if (evento.isComposing) return;
      if (evento.key === 'Escape') {
        evento.preventDefault();
        this.fechar();
      } else if (evento.key === 'Enter' && !evento.shiftKey) {
        evento.preventDefault();
        this.salvar();
      }
    });
    li.classList.add('papo-editando');
    li.querySelector(':scope > .papo-bolha').after(form);
    this.aberta = { id, li, form, texto, voltar };
    texto.focus();
    texto.setSelectionRange(texto.value.length, texto.value.length);
  }

  /** Closes the editor without saving. */
  fechar({ devolverFoco = true } = {}) {
    if (!this.aberta) return;
    const { li, form, voltar } = this.aberta;
    this.aberta = null;
    form.remove();
    li.classList.remove('papo-editando');
    if (!devolverFoco) return;
    // The "Editar" button may have been redrawn meanwhile: find it again.
    const destino = voltar?.isConnected ? voltar : li.querySelector('[data-acao="editar"]');
    (destino ?? this.compositor).focus();
  }

  async salvar() {
    if (!this.aberta || this.aberta.salvando) return;
    const aberta = this.aberta;
    const mensagem = aberta.texto.value;
    const atual = this.lista.objeto(aberta.id);
    if (atual && mensagem === atual.mensagem) {
      this.fechar();
      return;
    }
    if (!mensagem.trim()) {
      avisar('A mensagem não pode ficar vazia. Para apagá-la, use Excluir.');
      return;
    }
    if (tamanho(mensagem.trim()) > this.maximo) {
      avisar(`A mensagem passou do limite de ${this.maximo} caracteres.`);
      return;
    }
    aberta.salvando = true;
    aberta.form.setAttribute('aria-busy', 'true');
    const resultado = await postar(`/chat/mensagens/${aberta.id}/editar`, { mensagem });
    aberta.salvando = false;
    aberta.form.setAttribute('aria-busy', 'false');
    if (resultado.ok && resultado.json.success) {
      this.aoAtualizar(resultado.json.mensagem);
      if (this.aberta === aberta) this.fechar();
    } else if (resultado.status !== 401) {
      avisar(textoDoErro(resultado, 'Não foi possível editar a mensagem. Tente de novo.'));
    }
  }
}
