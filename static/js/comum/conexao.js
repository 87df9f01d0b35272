// The connection indicator: green "Conectado", yellow "Reconectando…",
// red "Desconectado" (a role="status" badge in the page header).

const ESTADOS = {
  conectando: ['Conectando…', 'text-bg-secondary'],
  conectado: ['Conectado', 'text-bg-success'],
  reconectando: ['Reconectando…', 'text-bg-warning'],
  desconectado: ['Desconectado', 'text-bg-danger'],
  // A room opened at an older message (sala/ancora.js): no stream until the newest is loaded.
  pausado: ['Ao vivo pausado', 'text-bg-light border'],
};

export class IndicadorConexao {
  constructor(elemento) {
    this.elemento = elemento;
    this.estado = 'conectando';
  }

  /** estado: a key of ESTADOS; detalhe: extra text for the tooltip. */
  mostrar(estado, detalhe = '') {
    const [texto, classe] = ESTADOS[estado];
    this.estado = estado;
    this.elemento.textContent = texto;
    this.elemento.className = `papo-conexao badge ${classe}`;
    this.elemento.dataset.estado = estado;
    this.elemento.title = detalhe || texto;
  }
}
