// While the tab is hidden: the unread count in the title and, if the user
// allowed it, a browser Notification per new message. A bell button asks
// for the permission (browsers only allow asking after a click).

export class Notificacoes {
  constructor(nomeSala, botao) {
    this.nomeSala = nomeSala;
    this.botao = botao;
    this.tituloOriginal = document.title;
    this.naoVistas = 0;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.#zerar();
    });
    this.#prepararBotao();
  }

  /** A message from someone else arrived. */
  nova(mensagem) {
    if (document.visibilityState === 'visible') return;
    this.naoVistas += 1;
    document.title = `(${this.naoVistas}) ${this.tituloOriginal}`;
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    const aviso = new Notification(`${mensagem.usuario_nome} em ${this.nomeSala}`, {
      body: mensagem.mensagem.length > 140 ? `${mensagem.mensagem.slice(0, 139)}…` : mensagem.mensagem,
      tag: `papo-sala-${mensagem.sala_id}`,
      renotify: true,
    });
    aviso.onclick = () => {
      window.focus();
      aviso.close();
    };
  }

  #zerar() {
    this.naoVistas = 0;
    document.title = this.tituloOriginal;
  }

  #prepararBotao() {
    if (!this.botao || !('Notification' in window) || Notification.permission !== 'default') return;
    this.botao.classList.remove('d-none');
    this.botao.addEventListener('click', async () => {
      const permissao = await Notification.requestPermission();
      if (permissao !== 'default') this.botao.classList.add('d-none');
    });
  }
}
