// papo: the room page. Sends with fetch, receives over EventSource, and
// falls back to polling /chat/mensagens when the stream cannot be reached,
// so the room keeps working either way.
const dados = JSON.parse(document.getElementById('papo-dados').textContent);
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const lista = document.getElementById('papo-lista-mensagens');
const caixa = document.getElementById('papo-mensagens');
const form = document.getElementById('papo-form');
const texto = document.getElementById('papo-texto');
const botao = document.getElementById('papo-enviar');
const contador = document.getElementById('papo-contador');
const conexao = document.getElementById('papo-conexao');
const vistos = new Set([...lista.querySelectorAll('[data-seq]')].map((li) => Number(li.dataset.seq)));
let ultimoSeq = dados.ultimo_seq;

function hora(iso) {
  const data = new Date(iso);
  const hoje = new Date();
  const opcoes = data.toDateString() === hoje.toDateString()
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' };
  return data.toLocaleString('pt-BR', opcoes);
}

function noFim() { return caixa.scrollHeight - caixa.scrollTop - caixa.clientHeight < 40; }

function mostrar(mensagem) {
  if (vistos.has(mensagem.seq)) return;
  vistos.add(mensagem.seq);
  ultimoSeq = Math.max(ultimoSeq, mensagem.seq);
  document.getElementById('papo-vazio')?.remove();
  const estavaNoFim = noFim();
  const li = document.createElement('li');
  const propria = mensagem.usuario_id === dados.usuario_id;
  li.className = 'papo-msg' + (propria ? ' papo-msg-propria' : '');
  li.dataset.seq = mensagem.seq;
  const bolha = document.createElement('div');
  bolha.className = 'papo-bolha';
  if (!propria) {
    const autor = document.createElement('div');
    autor.className = 'papo-autor small fw-semibold';
    autor.textContent = mensagem.usuario_nome;
    bolha.append(autor);
  }
  const corpo = document.createElement('div');
  corpo.className = 'papo-texto';
  corpo.textContent = mensagem.mensagem;
  const quando = document.createElement('time');
  quando.className = 'papo-hora small';
  quando.dateTime = mensagem.data_envio;
  quando.textContent = hora(mensagem.data_envio);
  bolha.append(corpo, quando);
  li.append(bolha);
  const depois = [...lista.children].find((outro) => Number(outro.dataset.seq) > mensagem.seq);
  lista.insertBefore(li, depois ?? null);
  if (estavaNoFim || propria) caixa.scrollTop = caixa.scrollHeight;
}

function aviso(mensagem) {
  const toast = document.createElement('div');
  toast.className = 'alert alert-danger shadow-sm py-2';
  toast.setAttribute('role', 'alert');
  toast.textContent = mensagem;
  document.getElementById('papo-toasts').append(toast);
  setTimeout(() => toast.remove(), 6000);
}

function estado(texto, classe) {
  conexao.textContent = texto;
  conexao.className = `papo-conexao badge ${classe}`;
}

async function buscarDesde(seq) {
  const resposta = await fetch(`/chat/mensagens?sala_id=${dados.sala_id}&apos_seq=${seq}&limit=200`,
    { headers: { Accept: 'application/json' } });
  if (resposta.status === 401) { location.href = `/login?next=${encodeURIComponent(location.pathname)}`; return; }
  if (!resposta.ok) return;
  const corpo = await resposta.json();
  corpo.mensagens.forEach(mostrar);
  if (corpo.mensagens.length === 200) await buscarDesde(ultimoSeq);
}

// Live updates. EventSource retries by itself while the stream answers 200;
// on any other answer it gives up, so we poll and recreate it with backoff.
let fonte = null;
let espera = 1000;
let sondagem = null;

function conectar() {
  fonte = new EventSource(`/chat/stream?sala_id=${dados.sala_id}&desde=${ultimoSeq}`);
  fonte.onopen = () => {
    estado('Conectado', 'text-bg-success');
    espera = 1000;
    clearInterval(sondagem);
    sondagem = null;
  };
  fonte.onmessage = (evento) => mostrar(JSON.parse(evento.data));
  fonte.addEventListener('ressincronizar', () => buscarDesde(ultimoSeq));
  fonte.onerror = () => {
    if (fonte.readyState === EventSource.CONNECTING) { estado('Reconectando…', 'text-bg-warning'); return; }
    estado('Desconectado', 'text-bg-danger');
    fonte.close();
    if (!sondagem) sondagem = setInterval(() => buscarDesde(ultimoSeq), 3000);
    setTimeout(conectar, espera + Math.random() * espera);
    espera = Math.min(espera * 2, 30000);
  };
}

texto.addEventListener('input', () => {
  contador.textContent = `${[...texto.value].length}/${dados.max_mensagem}`;
});
texto.addEventListener('keydown', (evento) => {
  if (evento.key === 'Enter' && !evento.shiftKey) {
    evento.preventDefault();
    form.requestSubmit();
  }
});

form.addEventListener('submit', async (evento) => {
  evento.preventDefault();
  if (!texto.value.trim()) return;
  botao.disabled = true;
  const corpo = new URLSearchParams({ sala_id: dados.sala_id, mensagem: texto.value, client_id: crypto.randomUUID() });
  try {
    const resposta = await fetch('/chat/enviar', {
      method: 'POST', body: corpo, headers: { 'X-CSRF-Token': csrf, Accept: 'application/json' },
    });
    const json = await resposta.json().catch(() => ({}));
    if (resposta.ok && json.success) {
      mostrar(json.mensagem);
      texto.value = '';
      contador.textContent = `0/${dados.max_mensagem}`;
    } else if (resposta.status === 401) {
      location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
    } else {
      aviso(json.erros ? Object.values(json.erros).join(' ') : (json.erro ?? 'Não foi possível enviar.'));
    }
  } catch {
    aviso('Sem conexão com o servidor. Tente de novo.');
  } finally {
    botao.disabled = false;
    texto.focus();
  }
});

caixa.scrollTop = caixa.scrollHeight;
conectar();
