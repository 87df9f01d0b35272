// The room as its owner changes it, and the reader's own membership
// (DESIGN §9). `sala_atualizada` {id, nome, descricao, privada, arquivada}
// retitles the page and shows or hides the archived banner and the message
// box without a reload. `sala_removida` {sala_id, usuario_id} reaches only
// the streams of the user who left or was removed (the pusher then closes
// them): the page says so, keeps the history already shown, and stops
// reconnecting. A stream refused afterwards (403) says the same.

import { porId } from '../comum/dom.js';

const TEXTO_REMOVIDA = 'Você não participa mais desta sala.';

export class EstadoDaSala {
  /** aoPerderAcesso(): stop the stream and the polling (main.js). */
  constructor(usuarioId, { aoPerderAcesso }) {
    this.usuarioId = usuarioId;
    this.aoPerderAcesso = aoPerderAcesso;
    this.semAcessoJa = false;
  }

  atualizada(sala) {
    porId('papo-sala-nome').textContent = sala.nome;
    porId('papo-sala-descricao').textContent = sala.descricao;
    document.title = `${sala.nome} · papo`;
    porId('papo-arquivada').hidden = !sala.arquivada;
    if (!this.semAcessoJa) porId('papo-form').hidden = sala.arquivada;
    // The owner's form follows, unless they are typing in it.
    for (const [id, valor] of [['papo-config-nome', sala.nome], ['papo-config-descricao', sala.descricao]]) {
      const campo = document.getElementById(id);
      if (campo && document.activeElement !== campo) campo.value = valor;
    }
    const valor = document.getElementById('papo-arquivar-valor');
    if (valor) valor.value = sala.arquivada ? '0' : '1';
    const botao = document.getElementById('papo-arquivar-botao');
    if (botao) botao.textContent = sala.arquivada ? 'Desarquivar' : 'Arquivar';
  }

  removida(evento) {
    if (evento.usuario_id === this.usuarioId) this.semAcesso();
  }

  semAcesso() {
    if (this.semAcessoJa) return;
    this.semAcessoJa = true;
    // Text set now (not only shown) so the alert region announces it.
    porId('papo-removida-texto').textContent = TEXTO_REMOVIDA;
    porId('papo-removida').hidden = false;
    porId('papo-form').hidden = true;
    for (const id of ['papo-membros', 'papo-config', 'papo-convidar', 'papo-vazio']) {
      const parte = document.getElementById(id);
      if (parte) parte.hidden = true;
    }
    this.aoPerderAcesso();
  }
}

/** "Sair da sala" asks first in a modal <dialog>; without script the form posts directly. */
export function confirmarSaida(form, dialogo) {
  if (!form || !dialogo) return;
  form.addEventListener('submit', (evento) => {
    evento.preventDefault();
    dialogo.returnValue = '';
    dialogo.showModal();
    dialogo.querySelector('[value="cancelar"]')?.focus();
  });
  dialogo.addEventListener('close', () => {
    if (dialogo.returnValue === 'sair') form.submit();
    else document.getElementById('papo-sair-botao')?.focus();
  });
}
