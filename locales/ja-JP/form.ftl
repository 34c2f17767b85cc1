## 主治医意見書: sections, items, choices, units and eras (printed labels of the 様式).
## Keys: section-<id>, item-<id>, choice-<choice_labels or item id>-<choice id>, unit-<unit>, era-<id>.

form-title = 主治医意見書
form-r3 = 令和3年様式
form-r8 = 令和8年様式

## Eras

era-meiji = 明治
era-taisho = 大正
era-showa = 昭和
era-heisei = 平成
era-reiwa = 令和

## Units

unit-age = 歳
unit-cm = cm
unit-kg = kg

## Shared choices

choice-yes-no-yes = 有
choice-yes-no-no = 無
choice-degree-mild = 軽
choice-degree-moderate = 中
choice-degree-severe = 重

## 基本情報

section-basic = 基本情報
item-written-date = 記入日
item-applicant-kana = ふりがな
item-applicant-name = 申請者氏名
item-applicant-sex = 性別
choice-applicant-sex-male = 男
choice-applicant-sex-female = 女
item-applicant-birth-date = 生年月日
item-applicant-age = 年齢
item-applicant-postal-code = 郵便番号
item-applicant-address = 住所
item-applicant-phone = 連絡先
item-insurer-number = 保険者番号
item-insured-number = 被保険者番号
item-intro-note = 上記の申請者に関する意見は以下の通りです。
item-consent = 主治医として、本意見書が介護サービス計画作成等に利用されることに
choice-consent-agree = 同意する。
choice-consent-disagree = 同意しない。
item-physician-name = 医師氏名
item-clinic-name = 医療機関名
item-clinic-phone = 電話
item-clinic-address = 医療機関所在地
item-clinic-fax = FAX
item-institution-code = 医療機関コード
item-last-exam-date = (1) 最終診察日
item-opinion-count = (2) 意見書作成回数
choice-opinion-count-first = 初回
choice-opinion-count-repeat = ２回目以上
item-other-visits = (3) 他科受診の有無
item-other-departments = 他科受診の診療科
choice-other-departments-internal = 内科
choice-other-departments-psychiatry = 精神科
choice-other-departments-surgery = 外科
choice-other-departments-orthopedics = 整形外科
choice-other-departments-neurosurgery = 脳神経外科
choice-other-departments-dermatology = 皮膚科
choice-other-departments-urology = 泌尿器科
choice-other-departments-gynecology = 婦人科
choice-other-departments-ophthalmology = 眼科
choice-other-departments-otolaryngology = 耳鼻咽喉科
choice-other-departments-rehabilitation = リハビリテーション科
choice-other-departments-dentistry = 歯科
choice-other-departments-other = その他
item-other-departments-other = 他科受診（その他の診療科）

## 依頼 (from the hub; not printed)

section-request = 作成依頼
item-request-id = 依頼番号
item-application-date = 申請日
item-application-kind = 申請区分
choice-application-kind-new = 新規申請
choice-application-kind-renewal = 更新申請
choice-application-kind-change = 区分変更申請
item-requested-date = 作成依頼日
item-due-date = 提出期限

## 1. 傷病に関する意見

section-disease = 1. 傷病に関する意見
item-diagnosis-1 = 診断名 1.
item-onset-1 = 発症年月日 1.
item-diagnosis-2 = 診断名 2.
item-onset-2 = 発症年月日 2.
item-diagnosis-3 = 診断名 3.
item-onset-3 = 発症年月日 3.
item-specified-disease = 診断名1の特定疾病
choice-specified-disease-cancer = がん（末期）
choice-specified-disease-rheumatoid-arthritis = 関節リウマチ
choice-specified-disease-als = 筋萎縮性側索硬化症
choice-specified-disease-opll = 後縦靱帯骨化症
choice-specified-disease-osteoporosis-fracture = 骨折を伴う骨粗鬆症
choice-specified-disease-presenile-dementia = 初老期における認知症
choice-specified-disease-parkinson-related = 進行性核上性麻痺、大脳皮質基底核変性症及びパーキンソン病
choice-specified-disease-scd = 脊髄小脳変性症
choice-specified-disease-spinal-stenosis = 脊柱管狭窄症
choice-specified-disease-progeria = 早老症
choice-specified-disease-msa = 多系統萎縮症
choice-specified-disease-diabetic-complications = 糖尿病性神経障害、糖尿病性腎症及び糖尿病性網膜症
choice-specified-disease-cerebrovascular = 脳血管疾患
choice-specified-disease-aso = 閉塞性動脈硬化症
choice-specified-disease-copd = 慢性閉塞性肺疾患
choice-specified-disease-knee-hip-oa = 両側の膝関節又は股関節に著しい変形を伴う変形性関節症
choice-specified-disease-none = 特定疾病以外
item-additional-diagnoses = ４つ目以降の診断名
item-stability = (2) 症状としての安定性
choice-stability-stable = 安定
choice-stability-unstable = 不安定
choice-stability-unknown = 不明
item-stability-detail = 「不安定」とした場合の具体的な状況
item-course-treatment = (3) 生活機能低下の直接の原因となっている傷病または特定疾病の経過及び投薬内容を含む治療内容

## 2. 特別な医療

section-special-medical = 2. 特別な医療（過去14日間以内に受けた医療のすべてにチェック）
item-special-procedures = 処置内容
choice-special-procedures-iv-drip = 点滴の管理
choice-special-procedures-tpn = 中心静脈栄養
choice-special-procedures-dialysis = 透析
choice-special-procedures-stoma = ストーマの処置
choice-special-procedures-oxygen = 酸素療法
choice-special-procedures-respirator = レスピレーター
choice-special-procedures-tracheostomy = 気管切開の処置
choice-special-procedures-pain-nursing = 疼痛の看護
choice-special-procedures-tube-feeding = 経管栄養
item-special-responses = 特別な対応
choice-special-responses-monitoring = モニター測定（血圧、心拍、酸素飽和度等）
choice-special-responses-pressure-ulcer-care = 褥瘡の処置
item-special-incontinence = 失禁への対応
choice-special-incontinence-catheter = カテーテル（コンドームカテーテル、留置カテーテル等）

## 3. 心身の状態に関する意見

section-mind-body = 3. 心身の状態に関する意見
item-bedridden-level = 障害高齢者の日常生活自立度（寝たきり度）
choice-bedridden-level-independent = 自立
choice-bedridden-level-j1 = J1
choice-bedridden-level-j2 = J2
choice-bedridden-level-a1 = A1
choice-bedridden-level-a2 = A2
choice-bedridden-level-b1 = B1
choice-bedridden-level-b2 = B2
choice-bedridden-level-c1 = C1
choice-bedridden-level-c2 = C2
item-dementia-level = 認知症高齢者の日常生活自立度
choice-dementia-level-independent = 自立
choice-dementia-level-i = Ⅰ
choice-dementia-level-iia = Ⅱa
choice-dementia-level-iib = Ⅱb
choice-dementia-level-iiia = Ⅲa
choice-dementia-level-iiib = Ⅲb
choice-dementia-level-iv = Ⅳ
choice-dementia-level-m = Ｍ
item-short-term-memory = 短期記憶
choice-short-term-memory-ok = 問題なし
choice-short-term-memory-problem = 問題あり
item-decision-making = 日常の意思決定を行うための認知能力
choice-decision-making-independent = 自立
choice-decision-making-somewhat-difficult = いくらか困難
choice-decision-making-needs-supervision = 見守りが必要
choice-decision-making-unable = 判断できない
item-communication = 自分の意思の伝達能力
choice-communication-able = 伝えられる
choice-communication-somewhat-difficult = いくらか困難
choice-communication-specific-only = 具体的要求に限られる
choice-communication-unable = 伝えられない
item-bpsd = 認知症の行動・心理症状（BPSD）
item-bpsd-items = 行動・心理症状の項目
choice-bpsd-items-hallucination = 幻視・幻聴
choice-bpsd-items-delusion = 妄想
choice-bpsd-items-day-night-reversal = 昼夜逆転
choice-bpsd-items-verbal-abuse = 暴言
choice-bpsd-items-violence = 暴行
choice-bpsd-items-care-resistance = 介護への抵抗
choice-bpsd-items-wandering = 徘徊
choice-bpsd-items-fire-hazard = 火の不始末
choice-bpsd-items-unclean-behavior = 不潔行為
choice-bpsd-items-pica = 異食行動
choice-bpsd-items-sexual-behavior = 性的問題行動
choice-bpsd-items-other = その他
item-bpsd-other = 行動・心理症状（その他）
item-psych-symptoms = その他の精神・神経症状
item-psych-symptom-name = 症状名
item-specialist-visit = 専門医受診の有無
item-specialist-visit-detail = 専門医受診（診療科等）
item-handedness = 利き腕
choice-handedness-right = 右
choice-handedness-left = 左
item-height = 身長
item-weight = 体重
item-weight-change = 過去6ヶ月の体重の変化
choice-weight-change-increase = 増加
choice-weight-change-maintain = 維持
choice-weight-change-decrease = 減少
item-limb-loss = 四肢欠損
item-limb-loss-site = 四肢欠損（部位）
item-paralysis = 麻痺
item-paralysis-sites = 麻痺の部位
choice-paralysis-sites-right-arm = 右上肢
choice-paralysis-sites-left-arm = 左上肢
choice-paralysis-sites-right-leg = 右下肢
choice-paralysis-sites-left-leg = 左下肢
choice-paralysis-sites-other = その他
item-paralysis-right-arm-degree = 麻痺 右上肢（程度）
item-paralysis-left-arm-degree = 麻痺 左上肢（程度）
item-paralysis-right-leg-degree = 麻痺 右下肢（程度）
item-paralysis-left-leg-degree = 麻痺 左下肢（程度）
item-paralysis-other-site = 麻痺 その他（部位）
item-paralysis-other-degree = 麻痺 その他（程度）
item-muscle-weakness = 筋力の低下
item-muscle-weakness-site = 筋力の低下（部位）
item-muscle-weakness-degree = 筋力の低下（程度）
item-contracture = 関節の拘縮
item-contracture-site = 関節の拘縮（部位）
item-contracture-degree = 関節の拘縮（程度）
item-joint-pain = 関節の痛み
item-joint-pain-site = 関節の痛み（部位）
item-joint-pain-degree = 関節の痛み（程度）
item-ataxia = 失調・不随意運動
item-ataxia-sides = 失調・不随意運動（部位）
choice-ataxia-sides-upper-right = 上肢 右
choice-ataxia-sides-upper-left = 上肢 左
choice-ataxia-sides-lower-right = 下肢 右
choice-ataxia-sides-lower-left = 下肢 左
choice-ataxia-sides-trunk-right = 体幹 右
choice-ataxia-sides-trunk-left = 体幹 左
item-pressure-ulcer = 褥瘡
item-pressure-ulcer-site = 褥瘡（部位）
item-pressure-ulcer-degree = 褥瘡（程度）
item-other-skin = その他の皮膚疾患
item-other-skin-site = その他の皮膚疾患（部位）
item-other-skin-degree = その他の皮膚疾患（程度）

## 4. 生活機能とサービスに関する意見

section-life-function = 4. 生活機能とサービスに関する意見
item-outdoor-walking = 屋外歩行
choice-outdoor-walking-independent = 自立
choice-outdoor-walking-with-assistance = 介助があればしている
choice-outdoor-walking-not-walking = していない
item-wheelchair = 車いすの使用
choice-wheelchair-not-used = 用いていない
choice-wheelchair-self-operated = 主に自分で操作している
choice-wheelchair-operated-by-others = 主に他人が操作している
item-walking-aids = 歩行補助具・装具の使用（複数選択可）
choice-walking-aids-not-used = 用いていない
choice-walking-aids-outdoor = 屋外で使用
choice-walking-aids-indoor = 屋内で使用
item-eating = 食事行為
choice-eating-independent = 自立ないし何とか自分で食べられる
choice-eating-full-assistance = 全面介助
item-nutrition = 現在の栄養状態
choice-nutrition-good = 良好
choice-nutrition-poor = 不良
item-nutrition-notes = 栄養・食生活上の留意点
item-conditions = (3) 現在あるかまたは今後発生の可能性の高い状態とその対処方針
choice-conditions-incontinence = 尿失禁
choice-conditions-fall-fracture = 転倒・骨折
choice-conditions-reduced-mobility = 移動能力の低下
choice-conditions-pressure-ulcer = 褥瘡
choice-conditions-cardiopulmonary = 心肺機能の低下
choice-conditions-withdrawal = 閉じこもり
choice-conditions-low-motivation = 意欲低下
choice-conditions-wandering = 徘徊
choice-conditions-undernutrition = 低栄養
choice-conditions-dysphagia = 摂食・嚥下機能低下
choice-conditions-dehydration = 脱水
choice-conditions-infection-prone = 易感染性
choice-conditions-cancer-pain = がん等による疼痛
choice-conditions-other = その他
item-conditions-other = 状態（その他）
item-conditions-policy = 対処方針
item-improvement-outlook = (4) サービス利用による生活機能の維持・改善の見通し
choice-improvement-outlook-expected = 期待できる
choice-improvement-outlook-not-expected = 期待できない
choice-improvement-outlook-unknown = 不明
item-medical-services = (5) 医学的管理の必要性
choice-medical-services-home-medical = 訪問診療
choice-medical-services-home-nursing = 訪問看護
choice-medical-services-home-dental = 訪問歯科診療
choice-medical-services-home-pharmacy = 訪問薬剤管理指導
choice-medical-services-home-rehab = 訪問リハビリテーション
choice-medical-services-short-stay-care = 短期入所療養介護
choice-medical-services-home-dental-hygiene = 訪問歯科衛生指導
choice-medical-services-home-nutrition = 訪問栄養食事指導
choice-medical-services-day-rehab = 通所リハビリテーション
choice-medical-services-health-facility = 老人保健施設
choice-medical-services-care-medical-institution = 介護医療院
choice-medical-services-other = その他の医療系サービス
choice-medical-services-none = 特記すべき項目なし
item-medical-services-other = その他の医療系サービス（内容）
item-care-notes = (6) サービス提供時における医学的観点からの留意事項
choice-care-notes-blood-pressure = 血圧
choice-care-notes-eating = 摂食
choice-care-notes-swallowing = 嚥下
choice-care-notes-mobility = 移動
choice-care-notes-exercise = 運動
choice-care-notes-other = その他
choice-care-notes-none = 特記すべき項目なし
item-care-note-blood-pressure = 留意事項（血圧）
item-care-note-eating = 留意事項（摂食）
item-care-note-swallowing = 留意事項（嚥下）
item-care-note-mobility = 留意事項（移動）
item-care-note-exercise = 留意事項（運動）
item-care-note-other = 留意事項（その他）
item-infection = (7) 感染症の有無
choice-infection-no = 無
choice-infection-yes = 有
choice-infection-unknown = 不明
item-infection-detail = 感染症（具体的に）

## 5. 特記すべき事項

section-notes = 5. 特記すべき事項
# The exact printed wording is UNCONFIRMED (an OCR reconstruction; domain §6 item 2): check it
# against the official 様式 and correct it here.
item-notes-guidance-r3 = 要介護認定及び介護サービス計画作成時に必要な医学的なご意見等を見守りに影響を及ぼす疾病の状況等の留意点を含め記載して下さい。特に、介護に要する手間に影響を及ぼす事項について記載して下さい。なお、専門医等に別途意見を求めた場合はその内容、結果も記載して下さい。（情報提供書や障害者手帳の申請に用いる診断書等の写しを添付して頂いても結構です。）
item-notes-guidance-r8 = 要介護認定及び介護サービス計画作成時に必要な医学的なご意見等を見守りに影響を及ぼす疾病の状況等の留意点を含め記載して下さい。特に、介護に要する手間に影響を及ぼす事項について記載して下さい。なお、専門医等に別途意見を求めた場合はその内容、結果も記載して下さい。
item-special-notes = 特記すべき事項
