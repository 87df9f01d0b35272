// Deleting a message (DESIGN §9): "Excluir" on one of the reader's
// messages asks first in a modal <dialog> (sala.mustache: focus kept inside,
// Esc cancels), then POST /chat/mensagens/{id}/excluir; the answer (the
// tombstone) goes to aoAtualizar.

import { avisar } from '../comum/avisos.js';
import { postar, textoDoErro } from '../comum/http.js';

export class Exclusao {
  /** lista: the ListaMensagens; dialogo: the <dialog> of sala.mustache. */
  constructor(lista, dialogo, { aoAtualizar }) {
    this.lista = lista;
    this.dialogo = dialogo;
    this.aoAtualizar = aoAtualizar;
    this.alvo = null;  // { id, li }
    lista.lista.addEventListener('click', (evento) => {
      const botao = evento.target.closest('button[data-acao="excluir"]');
      const li = botao?.closest('li[data-id]');
      if (li) this.perguntar(li);
    });
    dialogo.addEventListener('close', () => this.#aoFechar());
  }

  perguntar(li) {
    this.alvo = { id: Number(li.dataset.id), li };
    this.dialogo.returnValue = '';
    this.dialogo.showModal();
    this.dialogo.querySelector('[value="cancelar"]')?.focus();
  }

  async #aoFechar() {
    const alvo = this.alvo;
    this.alvo = null;
    if (!alvo) return;
    if (this.dialogo.returnValue !== 'excluir') {
      alvo.li.querySelector('[data-acao="excluir"]')?.focus();
      return;
    }
    const resultado = await postar(`/chat/mensagens/${alvo.id}/excluir`, {});
    if (resultado.ok && resultado.json.success) {
      this.aoAtualizar(resultado.json.mensagem);
      document.getElementById('papo-texto')?.focus();
    } else if (resultado.status !== 401) {
      avisar(textoDoErro(resultado, 'Não foi possível excluir a mensagem. Tente de novo.'));
      alvo.li.querySelector('[data-acao="excluir"]')?.focus();
    }
  }
}
