// papo: the room list, kept live by the list stream (?lista=1).
const conexao = document.getElementById('papo-conexao');
let espera = 1000;

function cartao(id) { return document.querySelector(`[data-sala-id="${id}"]`); }

function atualizar(atividade) {
  const card = cartao(atividade.sala_id);
  if (!card) return;
  if (atividade.usuarios_online !== undefined) card.querySelector('.papo-online').textContent = atividade.usuarios_online;
  if (atividade.data_envio) {
    const quando = card.querySelector('.papo-atividade');
    quando.dateTime = atividade.data_envio;
    quando.textContent = new Date(atividade.data_envio).toLocaleTimeString('pt-BR', { hour: '2-digit', minute: '2-digit' });
  }
}

function conectar() {
  const fonte = new EventSource('/chat/stream?lista=1');
  fonte.onopen = () => { conexao.textContent = 'Conectado'; conexao.className = 'papo-conexao badge text-bg-success'; espera = 1000; };
  fonte.addEventListener('atividade', (evento) => atualizar(JSON.parse(evento.data)));
  fonte.addEventListener('sala', () => location.reload());
  fonte.onerror = () => {
    if (fonte.readyState === EventSource.CONNECTING) { conexao.textContent = 'Reconectando…'; conexao.className = 'papo-conexao badge text-bg-warning'; return; }
    conexao.textContent = 'Desconectado';
    conexao.className = 'papo-conexao badge text-bg-danger';
    fonte.close();
    setTimeout(conectar, espera + Math.random() * espera);
    espera = Math.min(espera * 2, 30000);
  };
}

conectar();
