// While the tab is hidden: the unread count in the title and, if the user
// allowed it, a browser Notification per new message (comum/notificar.js,
// with the bell button that asks for the permission).

import { notificar, prepararBotaoDePermissao } from '../comum/notificar.js';

export class Notificacoes {
  constructor(nomeSala, botao) {
    this.nomeSala = nomeSala;
    this.tituloOriginal = document.title;
    this.naoVistas = 0;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.#zerar();
    });
    prepararBotaoDePermissao(botao);
  }

  /** A message from someone else arrived. */
  nova(mensagem) {
    if (document.visibilityState === 'visible') return;
    this.naoVistas += 1;
    document.title = `(${this.naoVistas}) ${this.tituloOriginal}`;
    notificar(`${mensagem.usuario_nome} em ${this.nomeSala}`, mensagem.mensagem, `papo-sala-${mensagem.sala_id}`);
  }

  #zerar() {
    this.naoVistas = 0;
    document.title = this.tituloOriginal;
  }
}
