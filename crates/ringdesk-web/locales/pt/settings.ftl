# Interface texts of the settings area, language pt. Every id exists in all four languages (i18n.rs tests it).

## Index and shared
settings-title = Definições
settings-refused = Não permitido
settings-not-found = Não encontrado
settings-back = Voltar às definições
settings-save = Guardar
settings-saved = As definições foram guardadas.
settings-none = (nenhum)
settings-revoke = Revogar
settings-actions = Ações
settings-prefix = Começa por
settings-created = Criado
settings-shown-once = Copie agora: só é mostrado desta vez.

## Sections
settings-telephony-title = Telefonia › Automação
settings-telephony-about = Tarefas para chamadas perdidas, leads para chamadas atendidas e perdidas, recuperação e tempos.
settings-employees-title = Funcionários
settings-employees-about = Quem trabalha aqui: extensões, permissões, palavras-passe.
settings-signing-title = Assinatura de webhooks
settings-signing-about = Assinaturas nos eventos de chamada que o seu sistema telefónico envia.
settings-tokens-title = Tokens da API
settings-tokens-about = Os tokens permitem a um sistema telefónico ou a um script agir através da API com os direitos que lhes der.
settings-audit-title = Registo de auditoria
settings-audit-about = Inícios de sessão, alterações de tokens, funcionários e definições.

## Telephony > Automation (R-U5)
settings-rule-missed_call_task = Tarefa para uma chamada recebida perdida
settings-rule-answered_call_lead = Lead para uma chamada recebida atendida
settings-rule-missed_call_lead = Lead para uma chamada recebida perdida
settings-rule-enabled = Regra ativa
settings-assignees = Atribuir a tarefa a
settings-task-mode = Tarefa por responsável
settings-task-mode-shared = Uma tarefa partilhada por todos
settings-task-mode-each = Uma tarefa para cada um
settings-due-in = Prazo após a chamada perdida
settings-days = Dias
settings-hours = Horas
settings-minutes = Minutos
settings-link-order = Ligar a ordem de trabalho aberta do cliente
settings-link-lead = Ligar o lead aberto do cliente
settings-lead-type = Tipo de lead
settings-manager = Gestor do lead
settings-notify = Notificar
settings-even-if-open-order = Mesmo que o cliente tenha uma ordem de trabalho aberta
settings-even-if-open-lead = Mesmo que o cliente tenha um lead aberto
settings-recovery = Chamadas e recuperação
settings-recovery-window-days = Janela de recuperação (dias)
settings-recover-only-answered = Só uma chamada de retorno atendida recupera uma chamada perdida
settings-inbound-answer-recovers = Uma chamada recebida atendida do mesmo número também a recupera
settings-reuse-unknown-caller-lead = Reutilizar o lead aberto de um número desconhecido
settings-settle-seconds = Esperar antes de agir sobre uma chamada perdida (segundos)
settings-stale-call-hours = Fechar uma chamada sem fim após (horas)
settings-preview = Pré-visualizar
settings-preview-hint = A pré-visualização mostra o que estas definições teriam feito com as chamadas dos últimos { $days } dias, sem guardar nada.
settings-preview-title = Pré-visualização
settings-preview-summary = Com estas definições, as chamadas dos últimos { $days } dias teriam criado { $tasks ->
        [one] { $tasks } tarefa
       *[other] { $tasks } tarefas
    } e { $leads ->
        [one] { $leads } lead
       *[other] { $leads } leads
    } ({ $calls } chamadas analisadas). Nada foi guardado.
settings-preview-call = Chamada
settings-preview-call-link = Chamada n.º { $id }
settings-preview-tasks = Tarefas
settings-preview-leads = Leads por regra
settings-err-number = Introduza um número inteiro de { $min } a { $max }.
settings-err-assignees-required = Escolha pelo menos um funcionário enquanto a regra estiver ativa.
settings-err-employee = Escolha funcionários ativos desta empresa, cada um uma vez.
settings-err-lead-type = Escolha um tipo de lead desta empresa; é necessário enquanto a regra estiver ativa.

## Employees
settings-employee-add = Adicionar um funcionário
settings-employee-add-button = Adicionar o funcionário
settings-employee-added = O funcionário foi adicionado.
settings-employee-saved = O funcionário foi guardado.
settings-employee-password-reset = A palavra-passe foi definida; as sessões desse funcionário terminaram.
settings-employee-edit = Funcionário { $name }
settings-employee-name = Nome
settings-employee-email = E-mail
settings-employee-password = Palavra-passe
settings-employee-extensions = Extensões
settings-employee-extensions-hint = Extensões telefónicas ou logins SIP, separados por vírgulas.
settings-employee-permissions = Permissões
settings-employee-state = Estado
settings-employee-active = Ativo
settings-employee-inactive = Desativado
settings-employee-owner = Proprietário (todas as permissões)
settings-employee-reset-title = Redefinir a palavra-passe
settings-employee-reset-about = Define uma nova palavra-passe para este funcionário e termina todas as suas sessões; os seus tokens da API continuam a funcionar.
settings-employee-new-password = Nova palavra-passe
settings-employee-reset-button = Definir a palavra-passe
settings-employee-own-password = Alterar a sua própria palavra-passe
settings-err-name = Introduza um nome (até 200 caracteres).
settings-err-extension = Uma extensão não é válida: { $problem }

## Webhook signing (R-I1, R-X8)
settings-signing-no-secret = Não há nenhum segredo de assinatura.
settings-signing-has-secret = Há um segredo de assinatura definido.
settings-signing-required = Os eventos sem assinatura são recusados.
settings-signing-optional = Os eventos sem assinatura são aceites.
settings-signing-require = Recusar eventos de chamada sem uma assinatura válida
settings-signing-needs-secret = Crie um segredo antes de exigir assinaturas.
settings-secrets = Segredos
settings-secret-new = Novo segredo de assinatura
settings-secret-create = Criar um segredo
settings-secret-rotate-hint = Para rodar: crie um novo segredo, coloque-o no sistema telefónico e depois revogue o antigo.
settings-secret-revoked = O segredo foi revogado.
settings-secret-last = É o último segredo e as assinaturas são obrigatórias: desligue a assinatura ou adicione primeiro um segredo.
settings-secret-revoke-label = Revogar o segredo { $prefix }

## API tokens (R-T5)
settings-tokens-empty = Ainda não há tokens.
settings-token-name = Nome
settings-token-employee = Funcionário
settings-token-used = Última utilização
settings-token-never-used = Nunca
settings-token-all-rights = Todas as do funcionário
settings-token-revoked-at = Revogado
settings-token-revoked = O token foi revogado.
settings-token-revoke-label = Revogar o token { $name }
settings-token-create = Novo token
settings-token-create-button = Criar o token
settings-token-new = O seu novo token
settings-err-token-name = Introduza um nome de 1 a 100 caracteres.

## Audit log
settings-audit-empty = Ainda nada registado.
settings-audit-at = Quando
settings-audit-action = O quê
settings-audit-who = Quem
settings-audit-subject = Objeto
settings-audit-address = Endereço
settings-audit-system = Sistema
settings-audit-token = (token n.º { $id })
settings-audit-pages = Páginas do registo de auditoria
settings-audit-newest = Mais recentes
settings-audit-older = Mais antigos

## Numbering, ad campaigns and locations
settings-lists-title = Numeração e listas
settings-lists-about = Modelos de numeração de leads, ordens de trabalho e orçamentos; campanhas publicitárias e locais.
settings-numbering-title = Modelos de numeração
settings-numbering-hint = { "{N}" } ou { "{N:5}" } exatamente uma vez para a sequência; { "{YYYY}" }, { "{YY}" }, { "{MM}" }, { "{DD}" } para a data; qualquer outro texto tal como está.
settings-numbering-lead = Leads
settings-numbering-order = Ordens de trabalho
settings-numbering-quote = Orçamentos
settings-err-numbering = Use { "{N}" } (ou { "{N:largura}" }, largura de 1 a 12) exatamente uma vez, só os marcadores de data, no máximo 60 caracteres.
settings-campaigns-title = Campanhas publicitárias
settings-locations-title = Locais
settings-item-name = Nome
settings-item-add = Adicionar
settings-item-added = Adicionado.
settings-item-changed = Alterado.
settings-item-inactive = não é oferecido para novos leads
settings-item-activate = Voltar a oferecer
settings-item-deactivate = Deixar de oferecer
settings-err-item-name = Introduza um nome de 1 a 100 caracteres.
settings-err-item-taken = Este nome já está na lista.
audit-action-sign-in = Entrou
audit-action-sign-out = Saiu
audit-action-password-changed = Senha alterada
audit-action-permissions-changed = Permissões alteradas
audit-action-employee-created = Funcionário adicionado
audit-action-employee-activated = Funcionário ativado
audit-action-employee-deactivated = Funcionário desativado
audit-action-settings-changed = Configurações alteradas
audit-action-token-created = Token de API criado
audit-action-token-revoked = Token de API revogado
audit-action-webhook-secret-created = Segredo de assinatura do webhook criado
audit-action-webhook-secret-revoked = Segredo de assinatura do webhook revogado
audit-action-contact-changed = Chamada vinculada a outro cliente

## Tipos de lead, estados e regras de transição de estado (R-M2, R-M6)
settings-lead-types-title = Tipos de lead
settings-lead-types-about = Tipos de leads, o estado em que cada um começa e os campos que cada um tem.
settings-statuses-title = Estados
settings-statuses-about = Os estados dos leads e das ordens de trabalho, e os seus grupos.
settings-transfers-title = Regras de transição de estado
settings-transfers-about = Para que estado um lead pode passar a partir de cada estado.
settings-lead-types-hint = Cada lead tem um tipo. Um lead novo começa no estado inicial do seu tipo e tem os campos próprios do tipo.
settings-lead-types-empty = Ainda não há tipos de lead.
settings-lead-type-initial-status = Estado inicial
settings-lead-type-fields = Campos do formulário
settings-lead-type-new = Novo tipo de lead
settings-lead-type-add = Adicionar o tipo de lead
settings-lead-type-added = O tipo de lead foi adicionado. Adicione aqui os seus campos.
settings-lead-type-title = Tipo de lead «{ $name }»
settings-lead-type-fields-hint = Os campos que cada lead deste tipo tem, além dos habituais. Preencha uma linha vazia para adicionar um campo; para adicionar mais de dois, guarde e adicione de novo.
settings-field-row = Campo { $n }
settings-field-new = Campo novo
settings-field-key = Chave
settings-field-key-hint = Chave: o nome sob o qual o valor é guardado, de 1 a 40 letras minúsculas (a–z), algarismos ou _, cada chave uma só vez.
settings-field-label = Rótulo
settings-field-kind = Tipo de campo
settings-field-kind-text = Texto
settings-field-kind-number = Número
settings-field-kind-date = Data
settings-field-kind-choice = Escolha numa lista
settings-field-kind-yes-no = Sim ou não
settings-field-required = Obrigatório
settings-field-options = Opções (só para escolha)
settings-field-options-hint = Opções: uma por linha, ou separadas por vírgulas; só um campo de escolha as tem.
settings-field-remove = Remover este campo
settings-err-initial-status = Escolha um estado de lead desta empresa.
settings-err-field-kind = Escolha um dos tipos de campo.
settings-err-field-key = Use de 1 a 40 letras minúsculas (a–z), algarismos ou _, e cada chave uma só vez.
settings-err-field-label = Introduza um rótulo.
settings-err-field-options-needed = Um campo de escolha precisa das suas opções.
settings-err-field-options-only-choice = Só um campo de escolha tem opções: apague-as ou escolha o tipo «Escolha numa lista».
settings-statuses-hint = O grupo de um estado decide se os seus leads e ordens de trabalho ainda estão abertos. Um estado do sistema mantém o seu papel seja qual for o novo nome.
settings-lead-statuses = Estados de leads
settings-order-statuses = Estados de ordens de trabalho
settings-status-group = Grupo
settings-status-rename = Mudar o nome
settings-status-rename-label = Novo nome para «{ $name }»
settings-status-system = sistema
settings-status-new-name = Nome de um estado novo
settings-status-add = Adicionar o estado
settings-status-added = O estado foi adicionado.
settings-status-renamed = O nome do estado foi mudado.
settings-err-status-group = Escolha um dos grupos.
settings-order-group-new = Nova
settings-order-group-in-progress = Em curso
settings-order-group-closed-success = Fechada com êxito
settings-order-group-closed-failure = Fechada sem êxito
settings-transfers-none = Não há regras: um lead pode passar de qualquer estado para qualquer outro.
settings-transfers-some = { $statuses ->
        [one] As saídas de { $statuses } estado estão restringidas.
       *[other] As saídas de { $statuses } estados estão restringidas.
    }
settings-transfers-hint-free = Um estado cuja linha não tem nenhuma caixa marcada é livre: os seus leads podem passar para qualquer estado. Sem nenhuma caixa marcada, qualquer mudança de estado é permitida.
settings-transfers-hint-restrict = Marque caixas numa linha para que os leads nesse estado só possam passar para os estados marcados; qualquer outra mudança é recusada com uma mensagem. Ficar no mesmo estado é sempre permitido, por isso marcar só a caixa do próprio estado mantém lá os seus leads.
settings-transfers-hint-system = As passagens que o Ringdesk faz por si para um estado do sistema ignoram estas regras: quando uma ordem de trabalho é ligada a um lead, e quando o lead de uma chamada perdida é cancelado porque afinal a chamada foi atendida.
settings-transfers-caption = Passagens permitidas: uma linha para o estado em que o lead está, uma coluna para o estado para onde passa.
settings-transfers-from-to = De ↓ para →
settings-transfer-label = De «{ $from }» para «{ $to }»
settings-transfers-save = Guardar as regras

## Twilio (R-I2, R-X8)
settings-twilio-title = Twilio
settings-twilio-about = Notificações de estado das chamadas da sua conta Twilio, verificadas pela assinatura, e ligar com um clique através do Twilio.
settings-twilio-console = O que colar na consola do Twilio
settings-twilio-callback = URL de notificação de estado desta empresa
settings-twilio-callback-hint = Defina-o como o webhook "Call status changes" do seu número Twilio (HTTP POST) e como statusCallback nos substantivos Number, Client e Sip do seu Dial, com os eventos initiated, ringing, answered e completed. Tem de ser exatamente o URL público abaixo: o Twilio assina o URL inteiro.
settings-twilio-token-set = Há um token de autenticação definido. Deixe o campo vazio para o manter.
settings-twilio-token-unset = Ainda não há token de autenticação.
settings-twilio-enabled = Receber as notificações de estado das chamadas do Twilio
settings-twilio-token = Token de autenticação (da sua consola Twilio)
settings-twilio-public-url = URL público, exatamente como na consola do Twilio
settings-twilio-public-url-hint = O endereço para onde o Twilio envia, visto da internet (atrás de um proxy, o endereço do proxy).
settings-twilio-account-sid = Account SID (para ligar com um clique)
settings-twilio-caller-id = Identificação de chamada: o seu número Twilio de onde partem as chamadas com um clique
## Asterisk (AMI) connection (R-I3, R-X8)
ami-title = Asterisk (AMI)
ami-about = Ligue a interface de gestão do PBX Asterisk: as chamadas chegam à medida que acontecem.
ami-enabled = Ligar ao PBX
ami-host = Anfitrião
ami-port = Porta
ami-username = Utilizador AMI
ami-secret = Segredo
ami-secret-set = Há um segredo definido; deixe vazio para o manter
ami-secret-unset = Nenhum segredo definido
ami-channel-template = Canal do clique para ligar ({"{"}extension{"}"} é substituído)
ami-originate-context = Contexto do clique para ligar
ami-internal-contexts = Contextos dos seus telefones (separados por vírgulas)
ami-auth-type = Início de sessão
ami-auth-md5 = Desafio MD5
ami-auth-plain = Segredo simples
ami-status-off = Sem ligação (desativado).
ami-status-connecting = A ligar…
ami-status-connected = Ligado.
ami-status-down = Ligação perdida; a tentar de novo.
ami-status-login-refused = O PBX recusou o início de sessão: verifique o utilizador e o segredo.
ami-field-invalid = Verifique este valor.
ami-needs-secret = Defina o segredo para ligar.
ami-gaps = Falhas
ami-gaps-about = Períodos em que o PBX não estava acessível: as chamadas que começaram e terminaram nesse intervalo não estão no Ringdesk.
ami-no-gaps = Sem falhas.
ami-gap-from = De
ami-gap-to = Até
calls-ami-gap = Sem dados do PBX entre { $from } e { $to }.

# Issue 13 item 4: business hours and the callback SLA.
settings-sla = Horário de funcionamento e prazo de retorno
settings-business-hours-hint = Horário por dia da semana no fuso horário da empresa, até quatro intervalos por dia; um dia sem intervalos está fechado. Um fim às 00:00 significa o fim do dia. O prazo de retorno conta apenas estas horas.
settings-day-mon = Segunda-feira
settings-day-tue = Terça-feira
settings-day-wed = Quarta-feira
settings-day-thu = Quinta-feira
settings-day-fri = Sexta-feira
settings-day-sat = Sábado
settings-day-sun = Domingo
settings-hours-from = Das
settings-hours-to = às
settings-callback-sla-minutes = Retornar uma chamada perdida em (minutos úteis, 0 sem prazo)
settings-service-level-seconds = Nível de serviço: atendida em (segundos)
settings-err-hours = Indique cada intervalo com duas horas, o fim depois do início, por ordem e sem sobreposição, no máximo quatro por dia.
