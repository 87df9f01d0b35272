// The room page (/chat/sala/{id}): wires the message list, the message box,
// the live stream and the small live features together (and, DESIGN §9,
// edits, deletions, reactions, mentions and the ticks of own messages).

import { IndicadorConexao } from '../comum/conexao.js';
import { dadosDaPagina, porId } from '../comum/dom.js';
import { FluxoAoVivo } from '../comum/fluxo.js';
import { buscar } from '../comum/http.js';
import { Alteracoes, mesclar } from './alteracoes.js';
import { Ancora } from './ancora.js';
import { Compositor } from './compositor.js';
import { AvisoDigitando } from './digitando.js';
import { Edicao } from './edicao.js';
import { Exclusao } from './exclusao.js';
import { Historico } from './historico.js';
import { Leituras } from './leituras.js';
import { CompletarMencoes } from './mencoes.js';
import { ListaMensagens } from './mensagens.js';
import { navegarPorTeclado } from './navegacao.js';
import { Notificacoes } from './notificacoes.js';
import { Presenca } from './presenca.js';
import { Reacoes } from './reacoes.js';
import { acaoDeRessincronizar } from './ressincronizar.js';
import { Rolagem } from './rolagem.js';
import { EstadoDaSala, confirmarSaida } from './sala-atualizada.js';
import { LidaAte } from './status.js';

const SONDAGEM_MS = 3000;

const dados = dadosDaPagina('papo-dados');
const caixa = porId('papo-mensagens');
// The others' furthest read position: own messages up to it are `lida`.
const lidaPelosOutros = Math.max(0, ...(dados.leituras ?? [])
  .filter((l) => l.usuario_id !== dados.usuario_id).map((l) => l.ultimo_seq_lido));
const lista = new ListaMensagens(porId('papo-lista-mensagens'),
  { usuarioId: dados.usuario_id, usuarioNome: dados.usuario_nome, dono: Boolean(dados.dono) }, new LidaAte(lidaPelosOutros));
const alteracoes = new Alteracoes(lista, dados.usuario_id, { aoLer: (seq) => lista.lidasAte(seq) });
const anuncios = porId('papo-anuncios');
const leituras = new Leituras(dados, lista.lista);
const digitando = new AvisoDigitando(dados.sala_id, dados.usuario_id, porId('papo-digitando'));
const presenca = new Presenca({ contador: porId('papo-online'), nomes: porId('papo-online-nomes'), caixa: porId('papo-presenca') });
const notificacoes = new Notificacoes(dados.sala_nome, document.getElementById('papo-notificar'));
const historico = new Historico(dados.sala_id, porId('papo-historico'), { temAnteriores: dados.primeiro_seq > 1 });
// Opened at a message (?seq=S, a search result): see ancora.js.
const ancora = new Ancora(dados, document.getElementById('papo-antigas'));
const rolagem = new Rolagem(caixa, porId('papo-novas'), {
  aoChegarNoFim: () => {
    marcarLido();
    carregarPosteriores();
  },
  aoChegarNoTopo: () => carregarAnteriores(),
});

// Every message up to this seq is on the page (from the page itself, the
// stream or a history fetch): the stream resumes after it.
let seqConfirmado = dados.ultimo_seq;

function marcarLido({ agora = false } = {}) {
  if (document.visibilityState === 'visible' && rolagem.estaNoFim()) leituras.vi(lista.ultimoSeq(), { agora });
}

// A message object the server answered with (it knows the reader's minha).
function atualizar(mensagem) {
  lista.alterar(mensagem.id, (antiga) => mesclar(antiga, mensagem));
}

/** doBarramento: the object came over the stream (its minha are all false). */
function receber(mensagem, { doBarramento = false } = {}) {
  const estavaNoFim = rolagem.estaNoFim();
  if (!lista.adicionar(mensagem)) {
    lista.alterar(mensagem.id, (antiga) => mesclar(antiga, mensagem, { doBarramento }));
    return;
  }
  alteracoes.chegou(mensagem.id);
  const propria = mensagem.usuario_id === dados.usuario_id;
  if (propria) {
    leituras.mostrarVistos();
  } else {
    digitando.esquecer(mensagem.usuario_id);
    anuncios.textContent = `${mensagem.usuario_nome}: ${mensagem.mensagem}`;
    notificacoes.nova(mensagem);
  }
  rolagem.depoisDeNova(estavaNoFim, propria);
  marcarLido();
}

function receberEmOrdem(mensagem, opcoes) {
  seqConfirmado = Math.max(seqConfirmado, mensagem.seq);
  receber(mensagem, opcoes);
}

function leitura(evento) {
  leituras.receber(evento);
  if (evento.usuario_id !== dados.usuario_id) lista.lidasAte(evento.ultimo_seq_lido);
}

// Newer pages of a room opened at an older message; the stream starts once
// the newest is on the page.
async function carregarPosteriores() {
  const inserir = (mensagem) => {
    seqConfirmado = Math.max(seqConfirmado, mensagem.seq);
    lista.adicionar(mensagem);
  };
  if (await ancora.posteriores(dados.sala_id, inserir)) fluxo.iniciar();
}

async function carregarAnteriores() {
  const inserir = (mensagens) => rolagem.manterPosicao(() => mensagens.forEach((m) => lista.adicionar(m)));
  const carregadas = await historico.anteriores(lista.primeiroSeq(), inserir);
  // Still nothing to scroll: the top is visible, keep loading.
  if (carregadas && rolagem.semRolagem()) carregarAnteriores();
}

// While the stream is down, poll so the room keeps working.
let sondagem = null;
function pararSondagem() {
  clearInterval(sondagem);
  sondagem = null;
}

function ressincronizar({ apos_seq: apos }) {
  const acao = acaoDeRessincronizar(apos, desdeDoFluxo, seqConfirmado);
  if (acao.recarregar) window.location.reload();
  else historico.lacuna(acao.lacunaApos, receberEmOrdem);
}

// Renamed or archived live; the reader left or was removed (DESIGN §9).
const indicador = new IndicadorConexao(porId('papo-conexao'));
const estado = new EstadoDaSala(dados.usuario_id, {
  aoPerderAcesso: () => {
    fluxo.fechar();
    pararSondagem();
    indicador.mostrar('desconectado', 'Você não participa mais desta sala.');
  },
});
confirmarSaida(document.getElementById('papo-sair-form'), document.getElementById('papo-sair'));

// The desde of the open stream's URL (see ressincronizar.js).
let desdeDoFluxo = seqConfirmado;
const fluxo = new FluxoAoVivo({
  url: () => {
    desdeDoFluxo = seqConfirmado;
    return `/chat/stream?sala_id=${dados.sala_id}&desde=${desdeDoFluxo}`;
  },
  indicador,
  mensagem: (evento) => receberEmOrdem(JSON.parse(evento.data), { doBarramento: true }),
  eventos: {
    digitando: (evento) => digitando.receber(evento),
    leitura,
    presenca: (evento) => presenca.receber(evento),
    ressincronizar,
    mensagem_editada: (evento) => alteracoes.editada(evento),
    mensagem_excluida: (evento) => alteracoes.excluida(evento),
    reacao: (evento) => alteracoes.reacao(evento),
    status: (evento) => alteracoes.status(evento),
    sala_atualizada: (evento) => estado.atualizada(evento),
    sala_removida: (evento) => estado.removida(evento),
  },
  sondar: async () => (await buscar('/chat/mensagens', { sala_id: dados.sala_id, limit: 1 })).status,
  aoAbrir: pararSondagem,
  aoPerderAcesso: () => estado.semAcesso(),
  aoCair: () => {
    if (sondagem) return;
    sondagem = setInterval(() => historico.lacuna(seqConfirmado, receberEmOrdem), SONDAGEM_MS);
  },
});

// Before the Compositor and the Edicao: its keys win while its list is open.
new CompletarMencoes(dados.sala_id, porId('papo-texto'), porId('papo-mencoes-lista'));
new Edicao(lista, porId('papo-texto'), dados.max_mensagem, { aoAtualizar: atualizar });
new Exclusao(lista, porId('papo-excluir'), { aoAtualizar: atualizar });
new Reacoes(lista, { aoAtualizar: atualizar });
navegarPorTeclado(caixa, lista.lista);

new Compositor(dados.sala_id, dados.max_mensagem, {
  form: porId('papo-form'),
  texto: porId('papo-texto'),
  botao: porId('papo-enviar'),
  contador: porId('papo-contador'),
}, {
  aoEnviar: (mensagem) => {
    receber(mensagem);
    rolagem.irParaOFim();
  },
  aoDigitar: () => digitando.digitou(),
  aoParar: () => digitando.parou(),
});

document.addEventListener('visibilitychange', marcarLido);
presenca.mostrar(dados.online ?? []);
lista.atualizarHoras();
setInterval(() => lista.atualizarHoras(), 60000);
if (lista.vazia) porId('papo-historico').textContent = '';
if (!ancora.mostrar(lista.lista)) rolagem.irParaOFim();
marcarLido({ agora: true });
window.addEventListener('pagehide', () => leituras.despedir());
if (rolagem.semRolagem()) carregarAnteriores();
// The rendered messages carry no reactions or mentions: their full objects
// come from the page's data when it has them, else from one fetch. The
// stream opens after it, so that no live change is overwritten by the
// older snapshot (changes made meanwhile come with the stream's resume).
const iniciarFluxo = () => {
  if (!ancora.pendente) fluxo.iniciar();
};
if (dados.mensagens) {
  dados.mensagens.forEach((m) => receber(m));
  iniciarFluxo();
} else if (lista.vazia) {
  iniciarFluxo();
} else if (ancora.pendente) {
  ancora.janela(dados.sala_id, lista.primeiroSeq(), lista.ultimoSeq(), receberEmOrdem).finally(() => {
    ancora.mostrar(lista.lista);
    iniciarFluxo();
  });
} else {
  historico.lacuna(lista.primeiroSeq() - 1, receberEmOrdem).finally(() => {
    ancora.mostrar(lista.lista);
    iniciarFluxo();
  });
}
