// Login, cadastro and logout pages: field errors inline, the session.

import { afirmar, esperar } from '../lib/esperar.mjs';
import { cadastrar, pessoa } from '../lib/usuarios.mjs';

export function registrar(executor) {
  executor.teste('cadastro mostra um erro por campo; logout e login com senha errada e certa', async (t) => {
    const pagina = await t.novaPagina({ rotulo: 'ana' });
    const ana = pessoa('Ana');

    await pagina.goto('/chat/listar-salas');
    await pagina.waitForURL('**/login?next=*');
    await t.capturar(pagina, 'login');

    await pagina.goto('/cadastro');
    await pagina.getByLabel('Nome').fill('');
    await pagina.getByLabel('E-mail').fill('isto-nao-e-email');
    await pagina.getByLabel('Senha', { exact: true }).fill('curta');
    await pagina.getByLabel('Confirmar senha').fill('outra');
    await pagina.getByRole('button', { name: 'Criar conta' }).click();
    await pagina.locator('#senha-erro').waitFor();
    for (const campo of ['nome', 'email', 'senha', 'confirmar_senha']) {
      afirmar(await pagina.locator(`#${campo}`).evaluate((e) => e.classList.contains('is-invalid')), `campo ${campo} marcado inválido`);
    }
    afirmar((await pagina.locator('#senha-erro').textContent()).includes('8 caracteres'), 'erro da senha em pt-BR');
    afirmar(await pagina.locator('#email').inputValue() === 'isto-nao-e-email', 'o e-mail digitado volta no formulário');
    await t.capturar(pagina, 'cadastro-com-erros');

    await cadastrar(pagina, ana);
    afirmar((await pagina.locator('.papo-usuario').textContent()).trim() === 'Ana', 'o nome aparece na barra');

    await Promise.all([pagina.waitForURL('**/login'), pagina.getByRole('button', { name: 'Sair' }).click()]);
    await pagina.goto('/chat/listar-salas');
    await pagina.waitForURL('**/login?next=*');

    await pagina.getByLabel('E-mail').fill(ana.email);
    await pagina.getByLabel('Senha').fill('senha-errada-000');
    await pagina.getByRole('button', { name: 'Entrar' }).click();
    await pagina.getByText('E-mail ou senha incorretos.').waitFor();

    await pagina.getByLabel('E-mail').fill(ana.email);
    await pagina.getByLabel('Senha').fill(ana.senha);
    await Promise.all([pagina.waitForURL('**/chat/listar-salas'), pagina.getByRole('button', { name: 'Entrar' }).click()]);
    await esperar(() => pagina.locator('.papo-sala-nome', { hasText: 'Sala Geral' }).count(), { mensagem: 'lista de salas' });
  });
}
