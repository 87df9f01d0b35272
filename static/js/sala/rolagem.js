// Scrolling of the message area: follows new messages only while the reader
// is at the bottom; otherwise a "novas mensagens" pill counts them. Reaching
// the top asks for older messages (aoChegarNoTopo).

const MARGEM_FIM_PX = 48;
const MARGEM_TOPO_PX = 120;

export class Rolagem {
  /**
   * caixa: the scrolling element; pilula: the "novas mensagens" button.
   * aoChegarNoFim(): the reader sees the newest message.
   * aoChegarNoTopo(): the reader scrolled up to the oldest loaded message.
   */
  constructor(caixa, pilula, { aoChegarNoFim, aoChegarNoTopo }) {
    this.caixa = caixa;
    this.pilula = pilula;
    this.novas = 0;
    this.aoChegarNoFim = aoChegarNoFim;
    this.aoChegarNoTopo = aoChegarNoTopo;
    caixa.addEventListener('scroll', () => this.#aoRolar(), { passive: true });
    pilula.addEventListener('click', () => {
      this.irParaOFim();
      document.getElementById('papo-texto')?.focus();
    });
  }

  estaNoFim() {
    const { scrollHeight, scrollTop, clientHeight } = this.caixa;
    return scrollHeight - scrollTop - clientHeight < MARGEM_FIM_PX;
  }

  /** Content is not tall enough to scroll: the top is already visible. */
  semRolagem() { return this.caixa.scrollHeight <= this.caixa.clientHeight; }

  irParaOFim() {
    this.caixa.scrollTop = this.caixa.scrollHeight;
    this.#esconderPilula();
  }

  /** After adding a message: follow it or count it on the pill. */
  depoisDeNova(estavaNoFim, propria) {
    if (estavaNoFim || propria) {
      this.irParaOFim();
      return;
    }
    this.novas += 1;
    this.pilula.textContent = this.novas === 1 ? '1 nova mensagem ↓' : `${this.novas} novas mensagens ↓`;
    this.pilula.classList.remove('d-none');
  }

  /** Runs `inserir` (which adds content above) keeping what the reader sees in place. */
  manterPosicao(inserir) {
    const alturaAntes = this.caixa.scrollHeight;
    const topoAntes = this.caixa.scrollTop;
    inserir();
    this.caixa.scrollTop = topoAntes + (this.caixa.scrollHeight - alturaAntes);
  }

  #esconderPilula() {
    this.novas = 0;
    this.pilula.classList.add('d-none');
  }

  #aoRolar() {
    if (this.estaNoFim()) {
      if (this.novas) this.#esconderPilula();
      this.aoChegarNoFim();
    }
    if (this.caixa.scrollTop < MARGEM_TOPO_PX) this.aoChegarNoTopo();
  }
}
